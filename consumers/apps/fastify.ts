// The Fastify consumer app (ESM and CommonJS): the routes the runner checks.
import { responseCachePlugin } from '@cache/fastify'
import Fastify from 'fastify'
import { AppState, announce, bearer, cacheOptions, closeOnSigterm, portOf } from './common.js'

interface ItemParams {
  id: string
}

async function main(): Promise<void> {
  const state = new AppState()

  const app = Fastify()
  // Given options, the plugin creates the cache, and closes it on app.close().
  await app.register(responseCachePlugin, { cache: cacheOptions(), ttl: '60s' })

  app.get<{ Params: ItemParams }>(
    '/items/:id',
    { config: { responseCache: { tags: (req) => [`item:${(req.params as ItemParams).id}`] } } },
    async (req) => state.item(req.params.id),
  )

  // A 2xx mutation through the plugin drops the cached GETs of its path.
  app.put<{ Params: ItemParams }>('/items/:id', async (req) => state.update(req.params.id))

  // Another path: only the tag reaches /items/:id.
  app.post<{ Params: ItemParams }>('/invalidate/:id', async (req) => {
    await app.responseCache.invalidate({ tags: [`item:${req.params.id}`] })
    return { invalidated: req.params.id }
  })

  app.get(
    '/me',
    { config: { responseCache: { varyBy: { user: (req) => bearer(req.headers.authorization) } } } },
    async (req) => ({ user: bearer(req.headers.authorization) ?? null, calls: state.count('me') }),
  )

  await app.listen({ port: 0, host: '127.0.0.1' })
  announce(portOf(app.server))
  // `app.close()` alone must end the process.
  closeOnSigterm(() => app.close())
}

main().catch((error: unknown) => {
  process.stderr.write(`startup failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  // Exit now: what started before the failure (a Redis connection) would keep it alive.
  process.exit(1)
})
