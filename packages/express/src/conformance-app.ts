import { type AdapterConformanceFactory, type ConformanceRequest, httpRequests } from '@cache/test-utils'
import express, { type ErrorRequestHandler } from 'express'
import { type ResponseCacheOptions, responseCache } from './index.js'
import { listen } from './test-server.js'

/**
 * The conformance suite's routes on Express (test helper, not exported by the package): one
 * middleware, a `route()` per route.
 */
export const expressConformanceApp: AdapterConformanceFactory = async ({ routes, options, beforeCache }) => {
  const rc = responseCache(options as ResponseCacheOptions)
  const app = express()
  app.use(express.json(), (_req, res, next) => {
    beforeCache((name, value) => res.setHeader(name, value))
    next()
  })
  for (const route of routes) {
    const method = route.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'
    app[method](route.path, rc.route(route.cache as never), async (req, res) => {
      const reply = await route.handler(req as ConformanceRequest)
      res.status(reply.status ?? 200).set(reply.headers ?? {})
      res.send(reply.body)
    })
  }
  // Headers only the error response has: a stale answer must not carry them.
  const onError: ErrorRequestHandler = (err, _req, res, _next) => {
    res
      .status(500)
      .set('x-error', '1')
      .json({ error: String(err?.message ?? err) })
  }
  app.use(onError)
  const server = await listen(app)
  return {
    request: httpRequests(server.url),
    invalidate: (what) => rc.invalidate(what),
    close: server.close,
  }
}
