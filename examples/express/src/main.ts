import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'
import { responseCache } from '@cache/express'
import express, { type ErrorRequestHandler, type RequestHandler } from 'express'

// Redis as L2 + invalidation bus when REDIS_URL is set, memory only otherwise.
// REDIS_KEY_PREFIX isolates test runs that share one Redis server.
const redisUrl = process.env.REDIS_URL
const cache = createCache({
  namespace: 'example',
  store: redisUrl ? new RedisStore({ url: redisUrl, keyPrefix: process.env.REDIS_KEY_PREFIX }) : undefined,
})

// Defaults of every cached route. Bodies over 4 KB pass through uncached (small on purpose, so
// the contract suite can show it with a long item id).
const cached = responseCache({ cache, ttl: '60s', maxEntryBytes: '4kb' })

const calls: Record<string, number> = {}
const count = (route: string) => (calls[route] = (calls[route] ?? 0) + 1)
const versions = new Map<string, number>()

const app = express()
app.use(express.json())

app.get('/items/:id', cached.route({ tags: (req) => [`item:${req.params.id}`] }), (req, res) => {
  const id = req.params.id
  res.json({ id, version: versions.get(id) ?? 0, calls: count('items') })
})

app.put('/items/:id', async (req, res) => {
  const id = req.params.id
  const version = (versions.get(id) ?? 0) + 1
  versions.set(id, version)
  await cache.invalidateTags([`item:${id}`])
  res.json({ id, version })
})

const validatePredict: RequestHandler = (req, res, next) => {
  if (!req.is('application/json')) return fail(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send application/json')
  const features = req.body?.features
  const valid =
    Array.isArray(features) &&
    features.length >= 1 &&
    features.length <= 100 &&
    features.every((f) => typeof f === 'number' && Number.isFinite(f))
  if (!valid) return fail(res, 422, 'INVALID_INPUT', 'features must be an array of 1 to 100 finite numbers')
  next()
}

// Cached by the canonical hash of the validated body: key order and whitespace do not matter.
app.post('/predict', validatePredict, cached.route({ methods: ['POST'] }), async (req, res) => {
  const features: number[] = req.body.features
  await sleep(100)
  res.json({ features, score: score(features), calls: count('predict') })
})

// Per-user caching: the key names the user, so one user's body never reaches another.
app.get('/me', cached.route({ varyBy: { user: (req) => bearer(req.headers.authorization) } }), (req, res) => {
  res.json({ user: bearer(req.headers.authorization) ?? null, calls: count('me') })
})

app.get('/session', cached, (_req, res) => {
  const sid = randomUUID()
  res.cookie('sid', sid, { httpOnly: true }).json({ sid, calls: count('session') })
})

app.get('/private', cached, (_req, res) => {
  res.set('cache-control', 'private, max-age=60').json({ calls: count('private') })
})

app.get('/no-store', cached, (_req, res) => {
  res.set('cache-control', 'no-store').json({ calls: count('no-store') })
})

app.get('/vary-star', cached, (_req, res) => {
  res.vary('*').json({ calls: count('vary-star') })
})

// Short TTL and a grace window: after expiry a failing call is answered with the stale body.
app.get('/flaky', cached.route({ ttl: '1s', grace: '30s' }), (_req, res) => {
  const n = count('flaky')
  if (n % 2 === 1) return fail(res, 500, 'FLAKY', 'odd calls fail')
  res.json({ calls: n })
})

app.get('/slow', cached, async (_req, res) => {
  const n = count('slow')
  await sleep(300)
  res.json({ calls: n })
})

app.get('/lang', cached, (req, res) => {
  const lang = (req.headers['accept-language'] ?? 'en').split(/[,;]/)[0]!.trim().toLowerCase() || 'en'
  res.vary('Accept-Language').json({ lang, calls: count('lang') })
})

app.get('/stale', cached.route({ ttl: '1s', grace: '30s' }), (_req, res) => {
  res.json({ calls: count('stale') })
})

// Echoes the host its handler read (port included): the key must hold it exactly so.
app.get('/host', cached, (req, res) => {
  res.json({ host: req.host ?? null, calls: count('host') })
})

app.get('/__calls', (_req, res) => {
  res.json(calls)
})

// The bus counters and whether it is subscribed, so that the contract can wait until every
// process listens, then until each has seen the others' invalidations.
app.get('/__bus', (_req, res) => {
  const bus = cache.stats().bus
  res.json(bus && { ...bus, subscribed: cache.health().tiers.remote?.bus?.connected === true })
})

app.post('/__reset', async (_req, res) => {
  for (const name of Object.keys(calls)) delete calls[name]
  versions.clear()
  await cache.clear()
  res.json({ reset: true })
})

// Body parser errors (malformed JSON: 400, too large: 413) and everything else: JSON errors.
const onError: ErrorRequestHandler = (err, _req, res, _next) => {
  const status = Number(err?.status ?? err?.statusCode ?? 500)
  if (status >= 500) console.error(err)
  const code =
    err?.type === 'entity.parse.failed' ? 'INVALID_JSON' : status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INTERNAL'
  fail(res, status, code, status >= 500 ? 'Internal error' : String(err.message))
}
app.use(onError)

function fail(res: express.Response, status: number, code: string, message: string) {
  res.status(status).json({ error: { code, message } })
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
const server = app.listen(Number(process.env.PORT ?? 3000), host, () => {
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : process.env.PORT
  console.log(`example-express listening on http://${host}:${port} (${redisUrl ? 'redis' : 'memory'})`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    server.closeAllConnections()
    cache.close().finally(() => process.exit(0))
  })
}
