import { type HttpRequestInfo, nodeRequestInfo } from '@cache/core/http/adapter'
import type { Request } from 'express'

/**
 * The core's view of an Express request: Express's own `req.protocol` and `req.host` (port
 * included, as handlers read it; both follow `trust proxy`), and `originalUrl`, so a router
 * mounted under a prefix keys the full path.
 */
export function requestInfo(req: Request): HttpRequestInfo<Request> {
  const headers = req.headers
  let protocol: string
  let host: string | undefined
  if (headers['x-forwarded-proto'] === undefined && headers['x-forwarded-host'] === undefined) {
    // Without forwarded headers, Express's getters answer from the socket and the Host header
    // whatever `trust proxy` says; computing that here skips their settings lookups on every hit.
    protocol = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http'
    host = headers.host || undefined
  } else {
    protocol = req.protocol
    host = req.host
  }
  return nodeRequestInfo({
    method: req.method,
    url: req.originalUrl ?? req.url,
    routeId: (req.route as { path?: unknown } | undefined)?.path,
    protocol,
    host,
    headers,
    body: req.body,
    raw: req,
  })
}
