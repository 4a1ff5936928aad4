import { ifNoneMatchMatches } from './etag.js'
import { replayableHeaders } from './headers.js'
import type { CapturedResponse, ResponseVerdict } from './response-policy.js'
import type { DoneDecision, HeaderPair, HttpDecision, StoredResponse, XCacheStatus } from './types.js'

/** Nothing left to write. */
export const DONE: DoneDecision = Object.freeze({ kind: 'done' })

// Headers a 304 carries from the stored response (RFC 9110 §15.4.5); `etag` is added separately.
const NOT_MODIFIED_HEADERS = new Set(['cache-control', 'content-location', 'date', 'expires', 'vary'])

/**
 * Replays a stored response: its status, headers and body byte for byte, plus `x-cache`,
 * `cache-status` (when given) and `age` (seconds since it was stored, RFC 9111 §5.1). When the request's `If-None-Match` matches
 * the entry's etag, a 304 instead (RFC 9110 §13.1.2). The entry was found under this request's
 * own key, so a 304 never validates another URL's representation.
 */
export function replayStored(
  stored: StoredResponse,
  xCache: XCacheStatus,
  ifNoneMatch: string | readonly string[] | undefined,
  conditional: boolean,
  now: number,
  cacheStatus: string | undefined,
): HttpDecision {
  if (conditional && ifNoneMatch !== undefined) {
    const decision = notModified(stored, xCache, ifNoneMatch, now, cacheStatus)
    if (decision !== undefined) return decision
  }
  const age = String(Math.max(0, Math.floor((now - stored.storedAt) / 1000)))
  const headers: HeaderPair[] = stored.headers.slice()
  headers.push(['x-cache', xCache], ['age', age])
  if (cacheStatus !== undefined) headers.push(['cache-status', cacheStatus])
  return { kind: 'send', status: stored.status, headers, body: stored.body, replace: true }
}

/**
 * A 304 from a stored response when `ifNoneMatch` matches its etag (RFC 9110 §13.1.2), with the
 * stored fields a 304 repeats (§15.4.5); `undefined` when it does not match.
 */
export function notModified(
  stored: StoredResponse,
  xCache: XCacheStatus,
  ifNoneMatch: string | readonly string[],
  now: number,
  cacheStatus: string | undefined,
): HttpDecision | undefined {
  if (!ifNoneMatchMatches(ifNoneMatch, stored.etag)) return undefined
  const age = String(Math.max(0, Math.floor((now - stored.storedAt) / 1000)))
  const headers: HeaderPair[] = stored.headers.filter(([name]) => NOT_MODIFIED_HEADERS.has(name))
  headers.push(['etag', stored.etag], ['x-cache', xCache], ['age', age])
  if (cacheStatus !== undefined) headers.push(['cache-status', cacheStatus])
  return { kind: 'not-modified', status: 304, headers, replace: true }
}

/**
 * Sends the response this request's own handler produced: its headers are already on the
 * response, so only `x-cache`, `content-length` and, when it was stored, `etag` are added.
 */
export function sendOwn(
  response: CapturedResponse,
  xCache: XCacheStatus,
  stored: StoredResponse | undefined,
  cacheStatus: string | undefined,
): HttpDecision {
  const headers: HeaderPair[] = [
    ['x-cache', xCache],
    ['content-length', String(response.body.byteLength)],
  ]
  if (stored !== undefined) headers.push(['etag', stored.etag])
  if (cacheStatus !== undefined) headers.push(['cache-status', cacheStatus])
  return { kind: 'send', status: response.status, headers, body: response.body, replace: false }
}

/**
 * Sends another request's response that was not stored but is shareable (its flight leader's):
 * the replayable headers only, never `Set-Cookie` or hop-by-hop fields.
 */
export function sendShared(
  response: CapturedResponse,
  verdict: ResponseVerdict,
  cacheStatus: string | undefined,
): HttpDecision {
  const headers = replayableHeaders(verdict.headers)
  headers.push(['x-cache', 'MISS'], ['content-length', String(response.body.byteLength)])
  if (cacheStatus !== undefined) headers.push(['cache-status', cacheStatus])
  return { kind: 'send', status: response.status, headers, body: response.body, replace: true }
}
