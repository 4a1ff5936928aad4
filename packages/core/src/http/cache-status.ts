import { CacheError, errors } from '../errors.js'

/**
 * Why a request went to the handler (the `fwd` parameter of RFC 9211 §2.2).
 * `bypass`: the cache was configured not to handle it; `method`: an unsafe or uncached method;
 * `uri-miss`: nothing stored for the URL; `vary-miss`: stored, but not for this request's `Vary`
 * values; `miss`: not stored for another reason; `request`: the request's directives asked for it;
 * `stale`: a stored response needed revalidation or refresh.
 */
export type CacheStatusForward = 'bypass' | 'method' | 'uri-miss' | 'vary-miss' | 'miss' | 'request' | 'stale'

/** The parameters of one `Cache-Status` member (RFC 9211 §2). */
export interface CacheStatusParams {
  /** The response came from the cache without going to the handler (§2.1). @default false */
  hit?: boolean
  /** Why the request went to the handler (§2.2). @default undefined */
  fwd?: CacheStatusForward
  /** The status the handler answered with, when it ran (§2.3). @default undefined */
  fwdStatus?: number
  /** Remaining freshness in seconds; negative when stale (§2.4). @default undefined */
  ttl?: number
  /** The handler's response was stored (§2.5). @default false */
  stored?: boolean
  /** The request joined another request's handler run (§2.6). @default false */
  collapsed?: boolean
  /** The cache key, when the route exposes it (§2.7). @default undefined */
  key?: string
  /** Free-form detail, as a token or string (§2.8). @default undefined */
  detail?: string
}

/** What a route's `cacheStatus` option resolves to: the cache's name in the header and whether it shows keys. */
export interface CacheStatusConfig {
  /** The cache identifier that starts the member. */
  readonly name: string
  /** Append `key=` (the hashed cache key). */
  readonly key: boolean
}

/** The `Cache-Status` option of a route: the identifier and whether keys are shown; `false` sends no header. */
export interface CacheStatusOptions {
  /**
   * Identifies this cache in the header (RFC 9211 §2: a token or string naming the cache).
   * @default 'cache'
   */
  name?: string
  /**
   * Include `key=` with the hashed cache key. Off by default: a key tells clients how the
   * cache partitions responses, which is debugging information.
   * @default false
   */
  key?: boolean
}

const TOKEN = /^[A-Za-z*][!#$%&'*+\-.^_`|~0-9A-Za-z:/]*$/
const DEFAULT_CONFIG: CacheStatusConfig = Object.freeze({ name: 'cache', key: false })

/**
 * Serialises one `Cache-Status` member (RFC 9211, a Structured Fields list member, RFC 8941
 * §3.1): the cache identifier, then `hit`, `fwd`, `fwd-status`, `ttl`, `stored`, `collapsed`,
 * `key` and `detail` as parameters, in that order.
 *
 * @example formatCacheStatus('cache', { fwd: 'uri-miss', fwdStatus: 200, stored: true, ttl: 60 })
 * // 'cache; fwd=uri-miss; fwd-status=200; ttl=60; stored'
 */
export function formatCacheStatus(name: string, params: CacheStatusParams): string {
  let out = item(name)
  if (params.hit) out += '; hit'
  if (params.fwd !== undefined) out += `; fwd=${params.fwd}`
  if (params.fwdStatus !== undefined) out += `; fwd-status=${params.fwdStatus}`
  if (params.ttl !== undefined) out += `; ttl=${Math.trunc(params.ttl)}`
  if (params.stored) out += '; stored'
  if (params.collapsed) out += '; collapsed'
  if (params.key !== undefined) out += `; key=${sfString(params.key)}`
  if (params.detail !== undefined) out += `; detail=${item(params.detail)}`
  return out
}

/** Seconds from `now` to `expiresAt`, to the nearest whole second; negative when stale (`ttl` of §2.4). */
export function ttlSeconds(expiresAt: number, now: number): number {
  return Math.round((expiresAt - now) / 1000)
}

/**
 * Validates a route's `cacheStatus` option. `undefined` gives the default identifier, `false`
 * turns the header off. Throws `ERR_CACHE_INVALID_OPTION`.
 */
export function resolveCacheStatus(
  option: CacheStatusOptions | false | undefined,
): CacheStatusConfig | undefined {
  if (option === undefined) return DEFAULT_CONFIG
  if (option === false) return undefined
  if (option === null || typeof option !== 'object') throw invalid('cacheStatus must be an object or false')
  for (const name of Object.keys(option)) {
    if (name !== 'name' && name !== 'key')
      throw invalid(`Unknown option ${JSON.stringify(name)} in cacheStatus`)
  }
  const name = option.name ?? DEFAULT_CONFIG.name
  // A name outside printable ASCII could not be sent as a header value.
  if (typeof name !== 'string' || !/^[\x20-\x7e]+$/.test(name))
    throw invalid('cacheStatus.name must be a non-empty printable ASCII string')
  if (option.key !== undefined && typeof option.key !== 'boolean')
    throw invalid('cacheStatus.key must be a boolean')
  return Object.freeze({ name, key: option.key ?? false })
}

// A bare token when the value is one (RFC 8941 §3.3.4), a quoted string otherwise.
function item(value: string): string {
  return TOKEN.test(value) ? value : sfString(value)
}

// RFC 8941 §3.3.3: only `"` and `\` are escaped; callers pass printable ASCII.
function sfString(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`
}

function invalid(message: string): CacheError {
  return new CacheError(errors.ERR_CACHE_INVALID_OPTION, message)
}
