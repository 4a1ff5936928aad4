import { type HttpRequestInfo, nodeRequestInfo } from '@cache/core/http'
import type { Request } from 'express'

/**
 * The core's view of an Express request: Express's own `req.protocol` and `req.hostname` (they
 * follow `trust proxy`), and `originalUrl`, so a router mounted under a prefix keys the full path.
 */
export function requestInfo(req: Request): HttpRequestInfo<Request> {
  return nodeRequestInfo({
    method: req.method,
    url: req.originalUrl ?? req.url,
    routeId: (req.route as { path?: unknown } | undefined)?.path,
    protocol: req.protocol,
    host: req.hostname,
    headers: req.headers,
    body: req.body,
    raw: req,
  })
}
