import type { CacheControl } from './cache-control.js'
import { notModified } from './decisions.js'
import { parseHttpDate } from './freshness.js'
import { headerText } from './headers.js'
import type { ReadContext } from './read-context.js'
import type { HttpDecision, StoredResponse } from './types.js'

/** How a stored response may answer a request (RFC 9111 §4.2, §4.2.4, §5.2.1; RFC 5861 §3). */
export type Use = 'fresh' | 'stale' | 'swr' | 'revalidate'

/** Whether a stored response may answer, given its own and the request's directives. */
export function judge(stored: StoredResponse, requestCc: CacheControl | undefined, now: number): Use {
  const origin = stored.origin
  if (origin === undefined || origin.noCache || requestCc?.noCache) return 'revalidate'
  const age = now - stored.storedAt
  const left = stored.expiresAt - now
  if (requestCc?.maxAge !== undefined && age > requestCc.maxAge * 1000) return 'revalidate'
  if (requestCc?.minFresh !== undefined && left < requestCc.minFresh * 1000) return 'revalidate'
  if (left > 0) return 'fresh'
  if (origin.mustRevalidate) return 'revalidate'
  if (requestCc?.maxStale !== undefined && -left <= requestCc.maxStale * 1000) return 'stale'
  if (-left <= origin.staleWhileRevalidate) return 'swr'
  return 'revalidate'
}

/**
 * A failed revalidation (the handler threw, the upstream was unreachable, or a 5xx) is answered
 * with the stored response (RFC 9111 §4.2.4 allows it when the origin cannot be reached; RFC 5861
 * §4 `stale-if-error`), for as long as the entry is kept, unless the response forbids stale use
 * (`must-revalidate`, `proxy-revalidate`, `s-maxage`, `no-cache`).
 */
export function staleIfError(stored: StoredResponse): boolean {
  const origin = stored.origin
  return origin !== undefined && !origin.mustRevalidate && !origin.noCache
}

/**
 * A 304 for a client whose `If-None-Match` (or, without it, `If-Modified-Since`) the stored
 * response satisfies (RFC 9110 §13.1.2, §13.1.3); `undefined` otherwise.
 */
export function clientNotModified<R>(
  ctx: ReadContext<R>,
  stored: StoredResponse,
  now: number,
  cacheStatus: string | undefined,
): HttpDecision | undefined {
  const method = ctx.req.method
  if (method !== 'GET' && method !== 'HEAD') return undefined
  if (ctx.ifNoneMatch !== undefined) return notModified(stored, 'HIT', ctx.ifNoneMatch, now, cacheStatus)
  const since = parseHttpDate(headerText(ctx.ifModifiedSince))
  // Without Last-Modified, the stored Date stands in for it (RFC 9111 §4.3.2).
  const lastModified = stored.origin?.lastModified ?? dateOf(stored)
  if (since === undefined || lastModified === undefined || lastModified > since) return undefined
  return notModified(stored, 'HIT', '*', now, cacheStatus)
}

function dateOf(stored: StoredResponse): number | undefined {
  for (const [name, value] of stored.headers) if (name === 'date') return parseHttpDate(value)
  return undefined
}
