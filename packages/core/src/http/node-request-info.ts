import type { HttpRequestInfo, RequestHeaders } from './types.js'

/** What an adapter knows about a request on a Node-based framework. */
export interface NodeRequestFacts<R> {
  method: string
  /** The full request URL (path and query); Express's `originalUrl` when mounted under a prefix. */
  url: string
  /** The route pattern (`/items/:id`) when the framework matched one. */
  routeId?: unknown
  /** As the framework resolved it, under its proxy trust settings. */
  protocol: string
  /** As the framework resolved it, under its proxy trust settings, with its port. */
  host: string | undefined
  headers: RequestHeaders
  body?: unknown
  /** The framework's request, handed to route callbacks (`tags`, `varyBy.user`...). */
  raw: R
}

/**
 * The core's view of a request. Protocol and host come from the framework (`req.protocol`,
 * `req.host`, port included, as handlers read them), so they follow the app's proxy trust
 * settings: forwarded headers the app trusts are keyed, untrusted ones are ignored, and the core
 * never reads them itself.
 */
export function nodeRequestInfo<R>(facts: NodeRequestFacts<R>): HttpRequestInfo<R> {
  const url = facts.url
  const q = url.indexOf('?')
  return {
    method: facts.method,
    path: q < 0 ? url : url.slice(0, q),
    routeId: facts.routeId === undefined ? undefined : String(facts.routeId),
    query: q < 0 ? '' : url.slice(q + 1),
    protocol: facts.protocol,
    host: facts.host ?? '',
    headers: facts.headers,
    body: facts.body,
    raw: facts.raw,
  }
}
