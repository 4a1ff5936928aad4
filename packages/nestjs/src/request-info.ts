import type { IncomingMessage } from 'node:http'
import type { HttpRequestInfo } from '@cache/core/http'
import type { NestRequest } from './tokens.js'

/** What Express's `Request` and Fastify's `FastifyRequest` both have, and where they differ. */
export interface PlatformRequest extends NestRequest {
  originalUrl?: string
  protocol: string
  hostname: string
  /** Fastify: Node's request. Express's request is Node's request. */
  raw?: IncomingMessage
  /** Express: the matched route. */
  route?: { path?: unknown }
  /** Fastify: the matched route. */
  routeOptions?: { url?: string }
}

/**
 * The core's view of a request, on either platform. Protocol and host are the platform's own, so
 * they follow its proxy trust settings (`trust proxy`, `trustProxy`): trusted forwarded headers
 * are keyed, untrusted ones ignored. The path comes from `originalUrl` (global prefix included).
 */
export function requestInfo(req: PlatformRequest): HttpRequestInfo<NestRequest> {
  const url = req.originalUrl ?? req.url
  const q = url.indexOf('?')
  const routePath = req.route?.path ?? req.routeOptions?.url
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
