import { bodyEtag } from './etag.js'
import { headerText, replayableHeaders } from './headers.js'
import type { CapturedResponse, ResponseVerdict } from './response-policy.js'
import type { HttpCacheValue, StoredResponse, VariantIndex } from './types.js'

/**
 * The entry stored for a captured, storable response. Everything a replay needs is computed
 * here, once: replayable headers with `etag` and `content-length` appended, and the etag (the
 * origin's, or a strong hash of the body). The body is copied unless the adapter says it is
 * `owned`, so a buffer the app reuses cannot change a stored response.
 */
export function toStoredResponse(
  response: CapturedResponse,
  verdict: ResponseVerdict,
  ttl: number,
  now: number,
): StoredResponse {
  const body = response.owned === true ? response.body : ownCopy(response.body)
  const etag = headerText(verdict.headers.etag) ?? bodyEtag(body)
  let headers = replayableHeaders(verdict.headers)
  const preset = response.preset
  // Headers earlier middleware set for the request that was stored (its request id, say) are
  // not the resource's: that middleware sets them again on every request, hits included.
  if (preset !== undefined && preset.size > 0) headers = headers.filter(([name]) => !preset.has(name))
  headers.push(['etag', etag], ['content-length', String(body.byteLength)])
  // A copy of the exact length: arrays grown by `push` keep spare slots, and the stored list
  // lives as long as its entry.
  headers = headers.slice()
  return {
    kind: 'response',
    status: response.status,
    headers,
    body,
    etag,
    storedAt: now,
    expiresAt: now + ttl,
    public: verdict.cacheControl.public || verdict.cacheControl.sMaxAge !== undefined,
  }
}

/**
 * Memory of its own: `Buffer.from` puts a body under 4 KB in Node's shared 8 KB pool, and a
 * response kept in L1 for minutes would keep that whole slab (and its other tenants) alive.
 */
function ownCopy(bytes: Uint8Array): Buffer {
  const copy = Buffer.allocUnsafeSlow(bytes.byteLength)
  copy.set(bytes)
  return copy
}

/** True for a value this layer stored as a response (values from L2 are checked, not trusted). */
export function isStoredResponse(value: unknown): value is StoredResponse {
  const v = value as StoredResponse | undefined
  return (
    typeof v === 'object' &&
    v !== null &&
    v.kind === 'response' &&
    typeof v.status === 'number' &&
    Array.isArray(v.headers) &&
    v.body instanceof Uint8Array &&
    typeof v.etag === 'string' &&
    typeof v.storedAt === 'number'
  )
}

/** True for a variant index. */
export function isVariantIndex(value: unknown): value is VariantIndex {
  const v = value as VariantIndex | undefined
  return typeof v === 'object' && v !== null && v.kind === 'vary' && Array.isArray(v.vary)
}

/** True for any value of this layer. */
export function isHttpCacheValue(value: unknown): value is HttpCacheValue {
  return isStoredResponse(value) || isVariantIndex(value)
}
