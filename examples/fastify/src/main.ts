import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'
import { responseCachePlugin } from '@cache/fastify'
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify'

// Redis as L2 + invalidation bus when REDIS_URL is set, memory only otherwise.
// REDIS_KEY_PREFIX isolates test runs that share one Redis server.
const redisUrl = process.env.REDIS_URL
const cache = createCache({
  namespace: 'example',
  store: redisUrl ? new RedisStore({ url: redisUrl, keyPrefix: process.env.REDIS_KEY_PREFIX }) : undefined,
})

const app = Fastify({
  // Long ids are allowed (the contract suite shows an oversized response with one).
  routerOptions: { maxParamLength: 10_000 },
  // Express's JSON body limit, so both examples answer 413 at the same size.
  bodyLimit: 100 * 1024,
  // No type coercion: `{"features":[1,"2"]}` is a wrong shape (422), not [1, 2].
  ajv: { customOptions: { coerceTypes: false } },
})

// Every route registered below goes through the cache with these defaults, unless its
// `config.responseCache` says otherwise. Bodies over 4 KB pass through uncached (small on
// purpose, so the contract suite can show it with a long item id).
await app.register(responseCachePlugin, { cache, ttl: '60s', maxEntryBytes: '4kb' })

const calls: Record<string, number> = {}
const count = (route: string) => (calls[route] = (calls[route] ?? 0) + 1)
const versions = new Map<string, number>()

type ItemRoute = { Params: { id: string } }
type ItemRequest = FastifyRequest<ItemRoute>

app.get<ItemRoute>(
  '/items/:id',
  // Fastify types `config` apart from the route's generic: the callback names its request type.
  { config: { responseCache: { tags: (req: ItemRequest) => [`item:${req.params.id}`] } } },
  async (req) => {
    const id = req.params.id
    return { id, version: versions.get(id) ?? 0, calls: count('items') }
  },
)

app.put('/items/:id', async (req: ItemRequest) => {
  const id = req.params.id
  const version = (versions.get(id) ?? 0) + 1
  versions.set(id, version)
  await app.responseCache.invalidate({ tags: [`item:${id}`] })
  return { id, version }
})

const predictBody = {
  type: 'object',
  required: ['features'],
  properties: {
    features: { type: 'array', minItems: 1, maxItems: 100, items: { type: 'number' } },
  },
} as const

// Cached by the canonical hash of the validated body: key order and whitespace do not matter.
app.post<{ Body: { features: number[] } }>(
  '/predict',
  {
    schema: { body: predictBody },
    preValidation: requireJson,
    config: { responseCache: { methods: ['POST'] } },
  },
  async (req) => {
    const features = req.body.features
    await sleep(100)
    return { features, score: score(features), calls: count('predict') }
  },
)

// Per-user caching: the key names the user, so one user's body never reaches another.
app.get(
  '/me',
  { config: { responseCache: { varyBy: { user: (req) => bearer(req.headers.authorization) } } } },
  async (req) => ({ user: bearer(req.headers.authorization) ?? null, calls: count('me') }),
)

app.get('/session', async (_req, reply) => {
  const sid = randomUUID()
  reply.header('set-cookie', `sid=${sid}; Path=/; HttpOnly`)
  return { sid, calls: count('session') }
})

app.get('/private', async (_req, reply) => {
  reply.header('cache-control', 'private, max-age=60')
  return { calls: count('private') }
})

app.get('/no-store', async (_req, reply) => {
  reply.header('cache-control', 'no-store')
  return { calls: count('no-store') }
})

app.get('/vary-star', async (_req, reply) => {
  reply.header('vary', '*')
  return { calls: count('vary-star') }
})

// Short TTL and a grace window: after expiry a failing call is answered with the stale body.
app.get('/flaky', { config: { responseCache: { ttl: '1s', grace: '30s' } } }, async (_req, reply) => {
  const n = count('flaky')
  if (n % 2 === 1) return fail(reply, 500, 'FLAKY', 'odd calls fail')
  return { calls: n }
})

app.get('/slow', async () => {
  const n = count('slow')
  await sleep(300)
  return { calls: n }
})

app.get('/lang', async (req, reply) => {
  const lang = (req.headers['accept-language'] ?? 'en').split(/[,;]/)[0]!.trim().toLowerCase() || 'en'
  reply.header('vary', 'Accept-Language')
  return { lang, calls: count('lang') }
})

app.get('/stale', { config: { responseCache: { ttl: '1s', grace: '30s' } } }, async () => ({
  calls: count('stale'),
}))

// Echoes the host its handler read (port included): the key must hold it exactly so.
app.get('/host', async (req) => ({ host: req.host, calls: count('host') }))

app.get('/__calls', { config: { responseCache: false } }, async () => calls)

// The bus counters and whether it is subscribed, so that the contract can wait until every
// process listens, then until each has seen the others' invalidations.
app.get('/__bus', { config: { responseCache: false } }, async () => {
  const bus = cache.stats().bus
  return bus ? { ...bus, subscribed: cache.health().tiers.remote?.bus?.connected === true } : null
})

app.post('/__reset', { config: { responseCache: false } }, async () => {
  for (const name of Object.keys(calls)) delete calls[name]
  versions.clear()
  await cache.clear()
  return { reset: true }
})

// Body parser errors (malformed JSON: 400, too large: 413, wrong media type: 415), schema
// validation (422) and everything else: the same JSON error bodies as the Express example.
app.setErrorHandler((err: FastifyError, _req, reply) => {
  if (err.validation) {
    return fail(reply, 422, 'INVALID_INPUT', 'features must be an array of 1 to 100 finite numbers')
  }
  // A body of another media type, or none at all (as Express's `req.is()` sees it).
  if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return fail(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json')
  }
  const status = err.statusCode ?? 500
  if (status >= 500) console.error(err)
  const code =
    err.code === 'FST_ERR_CTP_INVALID_JSON_BODY'
      ? 'INVALID_JSON'
      : status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : 'INTERNAL'
  return fail(reply, status, code, status >= 500 ? 'Internal error' : err.message)
})

// Fastify parses only the content types it knows; a bodiless or text/plain POST still reaches
// validation, so check the media type first (Express's `req.is('application/json')`).
async function requireJson(req: FastifyRequest, reply: FastifyReply) {
  const type = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase()
  if (type !== 'application/json') return fail(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json')
}

function fail(reply: FastifyReply, status: number, code: string, message: string) {
  return reply.code(status).send({ error: { code, message } })
}

function bearer(header: string | undefined): string | undefined {
  return header?.startsWith('Bearer ') ? header.slice(7) || undefined : undefined
}

/** A deterministic score in (0, 1): a logistic function of a fixed weighting of the features. */
function score(features: number[]): number {
  const z = features.reduce((sum, f, i) => sum + f * (((i % 7) - 3) / 10), 0)
  return Math.round((1 / (1 + Math.exp(-z))) * 1e6) / 1e6
}

const host = process.env.HOST ?? '127.0.0.1'
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host })
console.log(`example-fastify listening on ${address} (${redisUrl ? 'redis' : 'memory'})`)

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    app.close().finally(() => cache.close().finally(() => process.exit(0)))
  })
}
