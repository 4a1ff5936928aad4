import { type CacheControl, parseCacheControl } from './cache-control.js'
import { freshnessLifetime, HEURISTIC_STATUSES, initialAge, parseHttpDate } from './freshness.js'
import { headerText, lowerCaseHeaders, varyNames } from './headers.js'
import type { CapturedResponse, ResponseVerdict } from './response-policy.js'
import type { ResolvedRoute } from './route-options.js'
import { toStoredResponse } from './stored-response.js'
import type { HeaderPair, StoredResponse } from './types.js'

/** What `freshness: 'origin'` says about a captured response, beside the common verdict. */
export interface OriginVerdict extends ResponseVerdict {
  /** Freshness lifetime, ms. */
  lifetime: number
  /** The lifetime came from a directive or `Expires` (not a heuristic). */
  explicit: boolean
}

/** Statuses whose caching semantics this cache implements (for `must-understand`). */
const UNDERSTOOD: ReadonlySet<number> = new Set([
  200, 203, 204, 300, 301, 302, 303, 307, 308, 404, 405, 410, 414, 451, 501,
])

type OriginRoute = Pick<ResolvedRoute, 'maxEntryBytes' | 'heuristic' | 'targets'>

/**
 * The directives this cache obeys: those of the first targeted field the response carries
 * (RFC 9213 §2.1: it then ignores `Cache-Control`), otherwise `Cache-Control`.
 */
export function effectiveCacheControl(
  headers: Record<string, string | number | readonly string[]>,
  targets: readonly string[],
): CacheControl {
  for (const name of targets) {
    const value = headerText(headers[name])
    // A `;device` suffix targets one directive at a device (Surrogate-Control's syntax): this
    // cache reads it as its own. RFC 9213 fields use the same place for parameters, ignored.
    if (value !== undefined) return parseCacheControl(value.replace(/;[^,]*/g, ''))
  }
  // `Pragma: no-cache` counts only without `Cache-Control` (RFC 9111 §5.4, for HTTP/1.0 origins).
  const cc = headers['cache-control']
  if (cc === undefined && /(^|,)\s*no-cache\s*(,|$)/i.test(headerText(headers.pragma) ?? '')) {
    return { ...parseCacheControl(undefined), noCache: true }
  }
  return parseCacheControl(cc)
}

/**
 * Storage per RFC 9111 §3 for a shared cache. Stored: a complete, final response whose status
 * is heuristically cacheable or that has explicit freshness or `public`; not `no-store`,
 * `private`, `Vary: *`, partial (206) or 304. `no-cache` responses are stored (and revalidated
 * before each reuse). A request with credentials the key ignores (`authorized`) may store only
 * a response that says `public`, `s-maxage` or `must-revalidate` (§3.5). Differs on purpose in
 * one point: a response with `Set-Cookie` is never stored (one user's cookie never reaches another).
 */
export function assessOriginResponse(
  response: CapturedResponse,
  route: OriginRoute,
  authorized: boolean,
  now: number,
): OriginVerdict {
  const headers = lowerCaseHeaders(response.headers)
  const cc = effectiveCacheControl(headers, route.targets)
  const vary = varyNames(headers.vary)
  const status = response.status
  const failed = status >= 500
  const { ms: lifetime, explicit } = freshnessLifetime(headers, cc, status, route.heuristic, now)

  // must-understand (RFC 9111 §5.2.2.3): store only statuses this cache understands, and then
  // ignore no-store.
  const understood = UNDERSTOOD.has(status)
  let personal: string | undefined
  if (headers['set-cookie'] !== undefined) personal = 'set-cookie'
  else if (cc.private) personal = 'cache-control: private'
  else if (cc.mustUnderstand && !understood) personal = `must-understand: status ${status}`
  else if (cc.noStore && !(cc.mustUnderstand && understood)) personal = 'cache-control: no-store'
  else if (vary[0] === '*') personal = 'vary: *'
  else if (authorized && !cc.public && cc.sMaxAge === undefined && !cc.mustRevalidate)
    personal = 'authorization'

  const length = headerText(headers['content-length'])
  const incomplete = length !== undefined && Number(length) !== response.body.byteLength
  const partial = status === 206 || status === 304 || status < 200

  let reason = personal
  if (reason === undefined && incomplete) reason = 'incomplete body'
  if (reason === undefined && partial) reason = `status ${status}`
  if (reason === undefined && !explicit && !cc.public && !cc.noCache && !HEURISTIC_STATUSES.has(status))
    reason = `status ${status} without explicit freshness`
  if (reason === undefined && response.body.byteLength > route.maxEntryBytes) reason = 'too large'

  return {
    storable: reason === undefined,
    shareable: personal === undefined && !incomplete && !partial,
    reason,
    failed,
    vary,
    cacheControl: cc,
    headers,
    lifetime,
    explicit,
  }
}

/**
 * The entry stored for a response in `freshness: 'origin'`. Its `storedAt` is backdated by the
 * response's age when received (RFC 9111 §4.2.3), so `age` on a replay counts from the origin,
 * and `expiresAt` is `storedAt` + the freshness lifetime.
 */
export function toOriginEntry(
  response: CapturedResponse,
  verdict: OriginVerdict,
  requestTime: number,
  now: number,
): StoredResponse {
  const age = initialAge(verdict.headers, requestTime, now)
  // An invalid Age: stored, but stale at once (it can still be revalidated).
  const stored = Number.isFinite(age)
    ? toStoredResponse(response, verdict, verdict.lifetime, now - age)
    : toStoredResponse(response, verdict, 0, now)
  const cc = verdict.cacheControl
  const etag = headerText(verdict.headers.etag)
  const lastModifiedText = headerText(verdict.headers['last-modified'])
  const validators: HeaderPair[] = []
  if (etag !== undefined) validators.push(['if-none-match', etag])
  if (lastModifiedText !== undefined) validators.push(['if-modified-since', lastModifiedText])
  stored.public = cc.public || cc.sMaxAge !== undefined || cc.mustRevalidate
  stored.origin = {
    noCache: cc.noCache,
    mustRevalidate: cc.mustRevalidate || cc.proxyRevalidate || cc.sMaxAge !== undefined,
    staleWhileRevalidate: (cc.staleWhileRevalidate ?? 0) * 1000,
    staleIfError: (cc.staleIfError ?? 0) * 1000,
    validators,
    lastModified: parseHttpDate(lastModifiedText),
  }
  return stored
}

/**
 * How long the entry is kept in the cache: its freshness, the longer stale window, and `keep`
 * more for revalidation and `max-stale`.
 */
export function retention(stored: StoredResponse, keep: number, now: number): number {
  const origin = stored.origin
  const window = origin === undefined ? 0 : Math.max(origin.staleWhileRevalidate, origin.staleIfError)
  return Math.max(1000, stored.expiresAt - now + window + keep)
}

const KEPT_ON_UPDATE = new Set([
  'content-length',
  'content-encoding',
  'content-range',
  'content-md5',
  'etag',
  'transfer-encoding',
])

/**
 * The stored response updated by a `304 Not Modified` (RFC 9111 §4.3.4) or a `HEAD` response
 * (§4.3.5) that validates it: each header field of `update` replaces the stored one, the body
 * is kept, freshness is computed again from the merged headers.
 */
export function freshenedResponse(stored: StoredResponse, update: CapturedResponse): CapturedResponse {
  const headers: Record<string, string | number | readonly string[]> = {}
  // A body hash stands in for a missing origin `ETag`: never present it to anyone as the origin's.
  const originEtag = stored.origin?.validators.some(([name]) => name === 'if-none-match') ?? true
  for (const [name, value] of stored.headers) if (name !== 'etag' || originEtag) headers[name] = value
  const fresh = lowerCaseHeaders(update.headers)
  for (const name of Object.keys(fresh)) {
    // Fields that describe the stored body, not its metadata, are kept (RFC 9111 §3.2).
    if (KEPT_ON_UPDATE.has(name)) continue
    headers[name] = fresh[name]!
  }
  headers['content-length'] = String(stored.body.byteLength)
  return { status: stored.status, headers, body: stored.body }
}
