import { type AdapterConformanceFactory, conformanceResponse } from '@cache/test-utils'
import Fastify, { type HTTPMethods } from 'fastify'
import { type ResponseCachePluginOptions, responseCachePlugin } from './index.js'

/**
 * The conformance suite's routes on Fastify (test helper, not exported by the package):
 * `config.responseCache` per route, requests injected.
 */
export const fastifyConformanceApp: AdapterConformanceFactory = async ({ routes, options, beforeCache }) => {
  const app = Fastify()
  await app.register(responseCachePlugin, options as ResponseCachePluginOptions)
  app.addHook('onRequest', async (_req, reply) => beforeCache((name, value) => reply.header(name, value)))
  // Headers only the error response has: a stale answer must not carry them.
  app.setErrorHandler((error, _req, reply) => {
    reply
      .code(500)
      .header('x-error', '1')
      .send({ error: (error as Error).message })
  })
  for (const route of routes) {
    app.route({
      method: route.method as HTTPMethods,
      url: route.path,
      config: { responseCache: route.cache as never },
      handler: async (req, reply) => {
        const out = await route.handler(req as never)
        return reply
          .code(out.status ?? 200)
          .headers(out.headers ?? {})
          .send(out.body)
      },
    })
  }
  await app.ready()
  return {
    async request(url, { method = 'GET', headers, body } = {}) {
      const res = await app.inject({ method: method as 'GET', url, headers, payload: body })
      return conformanceResponse(res.statusCode, res.headers, res.rawPayload)
    },
    invalidate: (what) => app.responseCache.invalidate(what),
    close: () => app.close(),
  }
}
