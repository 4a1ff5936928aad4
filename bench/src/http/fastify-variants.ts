import { responseCachePlugin } from '@cache/fastify'
import { createCache as createDedupe } from 'async-cache-dedupe'
import { BentoCache, bentostore } from 'bentocache'
import { memoryDriver } from 'bentocache/drivers/memory'
import Fastify, { type FastifyInstance } from 'fastify'
import { BODY } from './body.js'
import { FloorStore } from './miss-floor.js'
import { hitOf, oursCache, type VariantSetup } from './setup.js'

/** Fastify servers: bare, ours (plugin; memory, memory + Redis, Redis only), two in-handler peers, the limit and the miss floor. */
export async function fastifyApp(variant: string, setup: VariantSetup = {}): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  switch (variant) {
    case 'fastify-bare':
      app.get('/item', async () => BODY)
      break
    case 'fastify-ours':
    case 'fastify-ours-l2':
    case 'fastify-ours-redis':
      await app.register(responseCachePlugin, { cache: oursCache(variant, setup), ttl: '10m' })
      app.get('/item', { config: { responseCache: { ttl: '10m' } } }, async () => BODY)
      break
    case 'fastify-async-cache-dedupe': {
      const cache = createDedupe({ ttl: 600, storage: { type: 'memory' } }).define(
        'item',
        async (_id: string) => BODY,
      )
      app.get('/item', async () => cache.item('x'))
      break
    }
    case 'fastify-bentocache': {
      const bento = new BentoCache({
        default: 'm',
        stores: { m: bentostore().useL1Layer(memoryDriver({ maxItems: 1000 })) },
      })
      app.get('/item', async () => bento.getOrSet({ key: 'item', ttl: '10m', factory: async () => BODY }))
      break
    }
    case 'fastify-limit': {
      // What a hit could cost at best: the stored bytes sent as ours sends them (code, headers, send).
      const hit = hitOf(variant, setup)
      app.get('/item', (_request, reply) => {
        reply.code(hit.status)
        for (let i = 0; i < hit.headers.length; i += 2) reply.header(hit.headers[i]!, hit.headers[i + 1])
        reply.send(hit.body)
      })
      break
    }
    case 'fastify-floor': {
      // The least a URL-keyed cache plugin does on a miss: a `preHandler` that looks the URL up
      // and an `onSend` that keeps the serialized bytes.
      const store = new FloorStore<Buffer>()
      app.addHook('preHandler', (request, reply, done) => {
        const hit = store.get(request.url)
        if (hit !== undefined) {
          reply.type('application/json; charset=utf-8').send(hit)
          return
        }
        done()
      })
      app.addHook('onSend', (request, _reply, payload, done) => {
        const body = typeof payload === 'string' ? Buffer.from(payload) : (payload as Buffer)
        store.set(request.url, body)
        done(null, body)
      })
      app.get('/item', async () => BODY)
      break
    }
    default:
      throw new Error(`unknown variant ${variant}`)
  }
  return app
}
