import { createCache } from '@cache/core'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { type ResponseCachePluginOptions, responseCachePlugin } from './index.js'

/** A Fastify app with the plugin registered (test helper, not exported by the package). */
export async function appWith(
  options: Partial<ResponseCachePluginOptions> = {},
  server: FastifyServerOptions = {},
): Promise<FastifyInstance> {
  const app = Fastify(server)
  await app.register(responseCachePlugin, { cache: createCache({ namespace: 'test' }), ...options })
  return app
}
