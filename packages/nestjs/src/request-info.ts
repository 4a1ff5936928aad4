import type { IncomingMessage } from 'node:http'
import { type HttpRequestInfo, nodeRequestInfo } from '@cache/core/http/adapter'
import type { NestRequest } from './tokens.js'

/** What Express's `Request` and Fastify's `FastifyRequest` both have, and where they differ. */
export interface PlatformRequest extends NestRequest {
  originalUrl?: string
  protocol: string
  /** With its port, as handlers read it. */
  host: string
  /** Fastify: Node's request. Express's request is Node's request. */
  raw?: IncomingMessage
  /** Express: the matched route. */
  route?: { path?: unknown }
  /** Fastify: the matched route. */
  routeOptions?: { url?: string }
}

/**
 * The core's view of a request, on either platform. Protocol and host (port included) are the
 * platform's own, as handlers read them, so they follow its proxy trust settings (`trust proxy`,
 * `trustProxy`): trusted forwarded headers are keyed, untrusted ones ignored. The path comes from
 * `originalUrl` (global prefix included).
 */
export function requestInfo(req: PlatformRequest): HttpRequestInfo<NestRequest> {
  return nodeRequestInfo<NestRequest>({
    method: req.method,
    url: req.originalUrl ?? req.url,
    routeId: req.route?.path ?? req.routeOptions?.url,
    protocol: req.protocol,
    host: req.host,
    headers: req.headers,
    body: req.body,
    raw: req,
  })
}
