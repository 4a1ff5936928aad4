import { type HttpRequestInfo, nodeRequestInfo } from '@cache/core/http/adapter'
import type { FastifyRequest } from 'fastify'

/**
 * The core's view of a Fastify request: Fastify's own `request.protocol` and `request.host` (port
 * included, as handlers read it; both follow `trustProxy`), `request.url` (the URL Fastify routed,
 * after any `rewriteUrl`), and the body Fastify parsed and validated, since the cache runs as the
 * last `preHandler`.
 *
 * @param routeId - the route's pattern (`'/items/:id'`), read once at registration: the
 *   `request.routeOptions` getter builds a new object on every access.
 */
export function requestInfo(request: FastifyRequest, routeId: string): HttpRequestInfo<FastifyRequest> {
  return nodeRequestInfo({
    method: request.method,
    url: request.url,
    routeId,
    protocol: request.protocol,
    host: request.host,
    headers: request.headers,
    body: request.body,
    raw: request,
  })
}
