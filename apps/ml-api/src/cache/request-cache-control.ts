import { parseCacheControl } from '@cache/core/http'
import type { CacheField } from '../schemas/cache-control-schema.js'

/** A per-request cache directive a client may send, and the operator may allow. */
export type ClientDirective = 'no-cache' | 'no-store' | 'max-age' | 'ttl' | 'namespace'

/** Every {@link ClientDirective}: the default of `CLIENT_CACHE_CONTROL`. */
export const CLIENT_DIRECTIVES: readonly ClientDirective[] = Object.freeze([
  'no-cache',
  'no-store',
  'max-age',
  'ttl',
  'namespace',
])

/** What one request asks of the cache, once the operator's policy is applied. */
export interface RequestCacheControl {
  /** Do not answer from the cache; what is computed is still stored (unless `noStore`). */
  noCache: boolean
  /** Do not store what this request computes. */
  noStore: boolean
  /** Cached answers older than this many seconds are recomputed. */
  maxAge: number | undefined
  /** TTL of what this request stores, in seconds (at most the server TTL). */
  ttl: number | undefined
  /** A partition of the cache: answers shared only with requests naming the same one. */
  namespace: string | undefined
  /**
   * The tenant the answer belongs to, set by the server's partition setting (never by the
   * client): answers are shared only within it. See `tenantOf`.
   */
  tenant?: string | undefined
}

/** No per-request control: what a request without directives gets. */
export const NO_CONTROL: RequestCacheControl = Object.freeze({
  noCache: false,
  noStore: false,
  maxAge: undefined,
  ttl: undefined,
  namespace: undefined,
})

type Headers = Record<string, string | string[] | undefined>

/**
 * The cache control of a request, from its `Cache-Control` header (RFC 9111 §5.2.1: `no-cache`,
 * `no-store`, `max-age`), `Pragma: no-cache` when there is no `Cache-Control` (§5.4), and the
 * LiteLLM-style `cache` body field (`no-cache`, `no-store`, `ttl`, `s-maxage`, `namespace`).
 * Either source may set a directive; the stricter value wins. Directives outside `allowed` (the
 * operator's `CLIENT_CACHE_CONTROL`) are ignored: e.g. against a paid upstream, allow `no-store`
 * but not `no-cache`, so no client can force paid recomputation.
 */
export function requestCacheControl(
  headers: Headers,
  body: CacheField | undefined,
  allowed: ReadonlySet<ClientDirective>,
): RequestCacheControl {
  if (allowed.size === 0) return NO_CONTROL
  const header = headers['cache-control']
  const cc = parseCacheControl(header)
  const pragma = header === undefined && /(^|,)\s*no-cache\s*(,|$)/i.test(String(headers.pragma ?? ''))
  const b = body ?? {}
  const ages = [cc.maxAge, b['s-maxage']].filter((n): n is number => n !== undefined)
  return {
    noCache: allowed.has('no-cache') && (cc.noCache || pragma || b['no-cache'] === true),
    noStore: allowed.has('no-store') && (cc.noStore || b['no-store'] === true),
    maxAge: allowed.has('max-age') && ages.length > 0 ? Math.min(...ages) : undefined,
    ttl: allowed.has('ttl') ? b.ttl : undefined,
    namespace: allowed.has('namespace') ? b.namespace : undefined,
  }
}

/**
 * The TTL of what a request stores: the server's, or the request's `ttl` when shorter. A client
 * may shorten the life of what it stores, never extend it past the operator's TTL.
 */
export function storeTtl(control: RequestCacheControl, serverTtlMs: number): number {
  return control.ttl === undefined ? serverTtlMs : Math.min(control.ttl * 1000, serverTtlMs)
}

/** The part of a key that partitions the cache: the request's namespace and tenant, if any. */
export function keyPartition(
  control: RequestCacheControl,
): { namespace?: string; tenant?: string } | undefined {
  if (control.namespace === undefined && control.tenant === undefined) return undefined
  return {
    ...(control.namespace === undefined ? {} : { namespace: control.namespace }),
    ...(control.tenant === undefined ? {} : { tenant: control.tenant }),
  }
}
