import { type CacheControl, parseCacheControl } from './cache-control.js'
import { headerText, lowerCaseHeaders, varyNames } from './headers.js'
import type { ResolvedRoute } from './route-options.js'
import type { ResponseHeaders } from './types.js'

/** A captured response, as {@link assessResponse} reads it. */
export interface CapturedResponse {
  /** Status code. */
  status: number
  /** Headers the handler set. */
  headers: ResponseHeaders
  /** The complete body. */
  body: Uint8Array
  /** Headers set before the handler ran: judged, never stored (see `Produced`). */
  preset?: ReadonlySet<string>
  /** `body` is the cache's own memory, stored without a copy (see `Produced`). @default false */
  owned?: boolean
}

/** What the HTTP rules say about one captured response. */
export interface ResponseVerdict {
  /** It may be stored and replayed to later requests with the same key. */
  storable: boolean
  /**
   * It may answer the other requests of its flight even if it is not stored: nothing in it is
   * specific to the user or the request (no cookie, not private, not a partial or 304).
   */
  shareable: boolean
  /** Why it is not stored, for debugging; `undefined` when storable. */
  reason: string | undefined
  /** 5xx: a failure, for which grace serves the stale entry (RFC 5861 §4). */
  failed: boolean
  /** Lowercased, sorted names from its `Vary` header (`['*']` for `Vary: *`). */
  vary: string[]
  /** Its parsed `Cache-Control`. */
  cacheControl: CacheControl
  /** Its headers with lowercased names. */
  headers: Record<string, string | number | readonly string[]>
}

/**
 * Applies the storability rules (RFC 9111 §3): a shared cache stores a response
 * only when its status is allowed (200 by default; never 5xx), it sets no cookie, its
 * `Cache-Control` has no `private` (§5.2.2.7), `no-store` (§5.2.2.5) or `no-cache` (§5.2.2.4:
 * we do not revalidate, so a response that must be revalidated is not stored), it has no
 * `Vary: *` (§4.1: no request can match it), and its body is complete and within `maxEntryBytes`.
 */
export function assessResponse(
  response: CapturedResponse,
  route: Pick<ResolvedRoute, 'statuses' | 'maxEntryBytes'>,
): ResponseVerdict {
  const headers = lowerCaseHeaders(response.headers)
  const cacheControl = parseCacheControl(headers['cache-control'])
  const vary = varyNames(headers.vary)
  const status = response.status
  const failed = status >= 500

  let personal: string | undefined
  if (headers['set-cookie'] !== undefined) personal = 'set-cookie'
  else if (cacheControl.private) personal = 'cache-control: private'
  else if (cacheControl.noStore) personal = 'cache-control: no-store'
  else if (cacheControl.noCache) personal = 'cache-control: no-cache'
  else if (vary[0] === '*') personal = 'vary: *'

  const length = headerText(headers['content-length'])
  // A Content-Length that disagrees with the captured body means the body is not complete.
  const incomplete = length !== undefined && Number(length) !== response.body.byteLength
  const partial = status === 206 || status === 304

  let reason = personal
  if (reason === undefined && incomplete) reason = 'incomplete body'
  if (reason === undefined && !route.statuses.has(status)) reason = `status ${status}`
  if (reason === undefined && response.body.byteLength > route.maxEntryBytes) reason = 'too large'

  return {
    storable: reason === undefined && !failed,
    shareable: personal === undefined && !incomplete && !partial,
    reason,
    failed,
    vary,
    cacheControl,
    headers,
  }
}
