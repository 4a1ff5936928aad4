import type { HttpRequestInfo } from '@cache/core/http'
import type { FastifyRequest } from 'fastify'

/**
 * The core's view of a Fastify request. Protocol and host are Fastify's own (`request.protocol`,
 * `request.hostname`), so they follow the app's `trustProxy` setting: forwarded headers the app
 * trusts are keyed, untrusted ones are ignored, and the core never reads them itself. The path
 * and raw query come from `request.url` (the URL Fastify routed, after any `rewriteUrl`); the
 * body is the one Fastify parsed and validated, since the cache runs as the last `preHandler`.
 *
 * @param routeId - the route's pattern (`'/items/:id'`), read once at registration: the
 *   `request.routeOptions` getter builds a new object on every access.
 */
export function requestInfo(request: FastifyRequest, routeId: string): HttpRequestInfo<FastifyRequest> {
  const url = request.url
  const q = url.indexOf('?')
  return {
    method: request.method,
    path: q < 0 ? url : url.slice(0, q),
    routeId,
    query: q < 0 ? '' : url.slice(q + 1),
    protocol: request.protocol,
    host: request.hostname,
    headers: request.headers,
    body: request.body,
    raw: request,
  }
}
