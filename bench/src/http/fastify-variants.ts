import { createCache } from '@cache/core'
import { responseCachePlugin } from '@cache/fastify'
import { createCache as createDedupe } from 'async-cache-dedupe'
import { BentoCache, bentostore } from 'bentocache'
import { memoryDriver } from 'bentocache/drivers/memory'
import Fastify, { type FastifyInstance } from 'fastify'
import { BODY } from './body.js'

/** Fastify servers: bare, ours (plugin), and two in-handler peers. */
export async function fastifyApp(variant: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false })
  switch (variant) {
    case 'fastify-bare':
      app.get('/item', async () => BODY)
      break
    case 'fastify-ours':
      await app.register(responseCachePlugin, { cache: createCache({ ttl: '10m' }), ttl: '10m' })
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
    default:
      throw new Error(`unknown variant ${variant}`)
  }
  return app
}
