import type { HttpRequestInfo } from '@cache/core/http'
import type { Request } from 'express'

/**
 * The core's view of an Express request. Protocol and host are Express's own (`req.protocol`,
 * `req.hostname`), so they follow the app's `trust proxy` setting: forwarded headers the app
 * trusts are keyed, untrusted ones are ignored, and the core never reads them itself. The path
 * comes from `originalUrl`, so a router mounted under a prefix still keys the full path.
 */
export function requestInfo(req: Request): HttpRequestInfo<Request> {
  const url = req.originalUrl ?? req.url
  const q = url.indexOf('?')
  const routePath = (req.route as { path?: unknown } | undefined)?.path
  return {
    method: req.method,
    path: q < 0 ? url : url.slice(0, q),
    routeId: routePath === undefined ? undefined : String(routePath),
    query: q < 0 ? '' : url.slice(q + 1),
    protocol: req.protocol,
    host: req.hostname ?? '',
    headers: req.headers,
    body: req.body,
    raw: req,
  }
}
