import { type ByteSize, type Duration, parseBytes, parseDuration } from '../duration.js'
import { CacheError, errors, isCacheError } from '../errors.js'
import { assertKnownOptions, type OptionFlags, optionKeys } from '../known-options.js'
import { type CacheStatusConfig, type CacheStatusOptions, resolveCacheStatus } from './cache-status.js'

/**
 * A route callback of the framework's request. Declared as a method, whose parameter TypeScript
 * compares both ways, so a callback may annotate a narrower request than `R`: the route's own
 * (`(req: FastifyRequest<{ Params: { id: string } }>) => ...`), where the framework cannot infer it.
 */
export type RouteCallback<R, T> = { bivarianceHack(req: R): T }['bivarianceHack']

/** What the key of a route varies on besides method, protocol, host, path and query. */
export interface VaryBy<R = unknown> {
  /**
   * Request headers whose values are part of the key (case-insensitive names). Naming
   * `authorization` (or `cookie`) opts the route in for requests carrying it.
   * @default []
   */
  headers?: readonly string[]
  /**
   * Cookies whose values are part of the key. Naming any cookie opts the route in for requests
   * with a `Cookie` header: the response must depend on these cookies only.
   * @default []
   */
  cookies?: readonly string[]
  /**
   * The user a request is for (per-user caching). Opts the route in for requests with
   * `Authorization` or `Cookie`; when it returns `undefined`/`null` for such a request, the
   * request bypasses the cache.
   * @default undefined
   */
  user?: RouteCallback<R, string | number | null | undefined>
}

/**
 * Caching options of a route (or the defaults of {@link createHttpCache}). Validated once, at
 * registration, by {@link resolveRouteOptions}: a bad option throws `ERR_CACHE_INVALID_OPTION`.
 *
 * @typeParam R - the framework's request type, given to the callbacks.
 */
export interface RouteCacheOptions<R = unknown> {
  /**
   * How long a stored response is fresh: ms or a duration string. The HTTP layer's own default:
   * it does not inherit the cache's `ttl`.
   * @default '1m'
   */
  ttl?: Duration
  /**
   * How long past `ttl` a response may still be served as `STALE`: to concurrent requests while
   * one request refreshes it, and when the handler fails (RFC 5861 §4). `false` disables it.
   * @default the cache's `grace`
   */
  grace?: Duration | false
  /**
   * Methods whose responses are cached. `HEAD` reads `GET`'s entries; `POST` must be opted in and
   * is keyed by the canonical hash of the parsed body. PUT, PATCH and DELETE are never cached.
   * @default ['GET', 'HEAD']
   */
  methods?: readonly ('GET' | 'HEAD' | 'POST')[]
  /**
   * Status codes that may be stored. 5xx, 206 and 304 are refused.
   * @default [200]
   */
  statuses?: readonly number[]
  /** What the key varies on besides the URL (per-user, per-header, per-cookie caching). @default {} */
  varyBy?: VaryBy<R>
  /** Tags of stored responses, for `cache.invalidateTags`: a list or a function of the request. @default [] */
  tags?: readonly string[] | RouteCallback<R, readonly string[]>
  /** Extra key input: anything `hashKey` accepts. @default undefined */
  key?: RouteCallback<R, unknown>
  /**
   * Honour the request's `Cache-Control` (`no-store`: bypass; `no-cache` or `max-age=0`: run
   * the handler and store the result). Off by default so that a client cannot force
   * recomputation (RFC 9111 §5.2.1 lets a cache ignore request directives).
   * @default false
   */
  honorRequestCacheControl?: boolean
  /**
   * Largest body that is stored, bytes or a size string. A larger or streamed response passes
   * through untouched.
   * @default '1MB'
   */
  maxEntryBytes?: ByteSize
  /**
   * A successful (2xx) POST, PUT, PATCH or DELETE through this route invalidates the cached
   * responses of its path (all query variants).
   * @default true
   */
  invalidateOnMutation?: boolean
  /** Tags to invalidate after a successful mutation through this route. @default [] */
  invalidateTags?: readonly string[] | RouteCallback<R, readonly string[]>
  /**
   * The `Cache-Status` response header (RFC 9211), sent beside `x-cache`: the cache's name and
   * whether it shows the key. `false` sends none.
   * @default { name: 'cache', key: false }
   */
  cacheStatus?: CacheStatusOptions | false
  /**
   * Where freshness comes from. `'route'`: the route's `ttl`, the origin-side rules. `'origin'`:
   * the response's own headers, as a shared HTTP cache (RFC 9111, 5861, 9213): `s-maxage`,
   * `max-age`, `Expires`, `Age`, `Date`; `no-cache` responses stored and revalidated with the
   * handler; `stale-while-revalidate` and `stale-if-error` from the response; any final status
   * with explicit freshness stored. In that mode `ttl` is how long a response is kept past its
   * freshness for revalidation and `max-stale`.
   * @default 'route'
   */
  freshness?: 'route' | 'origin'
  /**
   * In `freshness: 'origin'`: the fraction of the time since `Last-Modified` given as heuristic
   * freshness to a response without explicit freshness (RFC 9111 §4.2.2; 0.1 is usual), capped
   * at a day. `false`: a response without explicit freshness is stale at once.
   * @default false
   */
  heuristic?: number | false
  /**
   * In `freshness: 'origin'`: targeted cache-control fields (RFC 9213), in order of precedence.
   * The first one a response carries replaces its `Cache-Control` for this cache; name a private
   * field first (`'myapp-cache-control'`) to give this cache its own instructions.
   * @default ['cdn-cache-control']
   */
  targets?: readonly string[]
}

/** {@link RouteCacheOptions} validated and precomputed: what `handle` reads on every request. */
export interface ResolvedRoute<R = unknown> {
  /** `false` for a route with caching disabled (`route(false)`). */
  readonly enabled: boolean
  /** Freshness in ms. */
  readonly ttl: number
  /** Grace in ms; `undefined`: the cache's own `grace`. */
  readonly grace: number | undefined
  /** GET responses are cached. */
  readonly get: boolean
  /** HEAD requests read GET's entries. */
  readonly head: boolean
  /** POST responses are cached, keyed by the body. */
  readonly post: boolean
  /** Statuses that may be stored. */
  readonly statuses: ReadonlySet<number>
  /** Lowercased, sorted request header names in the key. */
  readonly varyHeaders: readonly string[]
  /** Sorted cookie names in the key. */
  readonly varyCookies: readonly string[]
  /** The user a request is for, when the route caches per user. */
  readonly user: ((req: R) => string | number | null | undefined) | undefined
  /** Requests with `Authorization` may be cached (the key names the user or that header). */
  readonly authOptIn: boolean
  /** Requests with `Cookie` may be cached (the key names the user, cookies or that header). */
  readonly cookieOptIn: boolean
  /** Tags of stored responses. */
  readonly tags: ((req: R) => readonly string[]) | undefined
  /** Extra key input. */
  readonly key: ((req: R) => unknown) | undefined
  /** The request's `Cache-Control` is honoured. */
  readonly honorRequestCacheControl: boolean
  /** Largest stored body, bytes. */
  readonly maxEntryBytes: number
  /** A 2xx mutation invalidates its path. */
  readonly invalidateOnMutation: boolean
  /** Tags a 2xx mutation invalidates. */
  readonly invalidateTags: ((req: R) => readonly string[]) | undefined
  /** How `Cache-Status` is written; `undefined`: not at all. */
  readonly cacheStatus: CacheStatusConfig | undefined
  /** `true`: freshness and storage from the response's headers (`freshness: 'origin'`). */
  readonly origin: boolean
  /** Heuristic freshness fraction; 0 when off. */
  readonly heuristic: number
  /** Lowercased targeted cache-control field names, in precedence order. */
  readonly targets: readonly string[]
}

/** Every key of {@link RouteCacheOptions}, checked both ways by the compiler (see `OptionFlags`). */
export const ROUTE_OPTION_FLAGS = {
  ttl: true,
  grace: true,
  methods: true,
  statuses: true,
  varyBy: true,
  tags: true,
  key: true,
  honorRequestCacheControl: true,
  maxEntryBytes: true,
  invalidateOnMutation: true,
  invalidateTags: true,
  cacheStatus: true,
  freshness: true,
  heuristic: true,
  targets: true,
} as const satisfies OptionFlags<RouteCacheOptions>

/** Every key of {@link RouteCacheOptions}, for adapters checking their options for unknown keys. */
export const ROUTE_OPTION_KEYS = optionKeys<RouteCacheOptions>(ROUTE_OPTION_FLAGS)
const VARY_BY = optionKeys<VaryBy>({ headers: true, cookies: true, user: true })
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/

function invalid(message: string, cause?: unknown): CacheError {
  return new CacheError(errors.ERR_CACHE_INVALID_OPTION, message, cause === undefined ? undefined : { cause })
}

// Durations and sizes are options too: report them with the option code, keeping the cause.
function duration(input: Duration, name: string): number {
  try {
    return parseDuration(input, name)
  } catch (error) {
    throw isCacheError(error) ? invalid(error.message, error) : error
  }
}

function list<T>(value: unknown, name: string, check: (item: unknown) => item is T, what: string): T[] {
  if (!Array.isArray(value) || !value.every(check)) throw invalid(`${name} must be an array of ${what}`)
  return value
}

const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0
const isHeaderName = (v: unknown): v is string => typeof v === 'string' && TOKEN.test(v)

function tagSource<R>(value: unknown, name: string): ((req: R) => readonly string[]) | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'function') return value as (req: R) => readonly string[]
  const fixed = Object.freeze(list(value, name, isNonEmptyString, 'non-empty strings'))
  return fixed.length === 0 ? undefined : () => fixed
}

/**
 * Validates route options merged over `defaults` and precomputes what the hot path reads.
 * `false` gives a disabled route (the adapter passes every request through).
 *
 * @throws {CacheError} `ERR_CACHE_INVALID_OPTION` on any invalid or unknown option.
 */
export function resolveRouteOptions<R = unknown>(
  options: RouteCacheOptions<R> | false | undefined,
  defaults: RouteCacheOptions<R> = {},
): ResolvedRoute<R> {
  if (options === false) return { ...resolveRouteOptions<R>({}, defaults), enabled: false }
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw invalid('Route cache options must be an object or false')
  }
  assertKnownOptions(defaults, ROUTE_OPTION_KEYS, 'response cache options')
  assertKnownOptions(options, ROUTE_OPTION_KEYS, 'response cache options')
  const o: RouteCacheOptions<R> = { ...defaults, ...options }

  const ttl = duration(o.ttl ?? '1m', 'ttl')
  if (!(ttl > 0)) throw invalid('ttl must be a positive duration')
  const grace = o.grace === undefined ? undefined : o.grace === false ? 0 : duration(o.grace, 'grace')

  const methods = list(o.methods ?? ['GET', 'HEAD'], 'methods', isNonEmptyString, 'method names').map((m) =>
    m.toUpperCase(),
  )
  for (const m of methods) {
    if (m !== 'GET' && m !== 'HEAD' && m !== 'POST') {
      throw invalid(`methods: ${m} responses are never cached (only GET, HEAD and opted-in POST)`)
    }
  }

  const statuses = list(
    o.statuses ?? [200],
    'statuses',
    Number.isInteger as (v: unknown) => v is number,
    'integers',
  )
  for (const s of statuses) {
    // 5xx are errors (never stored); 206 and 304 are not complete representations.
    if (s < 100 || s >= 500 || s === 206 || s === 304)
      throw invalid(`statuses: ${s} responses cannot be stored`)
  }

  const varyBy = o.varyBy ?? {}
  if (typeof varyBy !== 'object' || varyBy === null) throw invalid('varyBy must be an object')
  assertKnownOptions(varyBy, VARY_BY, 'varyBy')
  const varyHeaders = list(varyBy.headers ?? [], 'varyBy.headers', isHeaderName, 'header names').map((h) =>
    h.toLowerCase(),
  )
  const varyCookies = list(varyBy.cookies ?? [], 'varyBy.cookies', isNonEmptyString, 'cookie names')
  if (varyBy.user !== undefined && typeof varyBy.user !== 'function')
    throw invalid('varyBy.user must be a function')
  if (o.key !== undefined && typeof o.key !== 'function') throw invalid('key must be a function')

  const maxEntryBytes = parseBytesOption(o.maxEntryBytes ?? '1MB')
  for (const flag of ['honorRequestCacheControl', 'invalidateOnMutation'] as const) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') throw invalid(`${flag} must be a boolean`)
  }

  return Object.freeze({
    enabled: true,
    ttl,
    grace,
    get: methods.includes('GET'),
    head: methods.includes('HEAD'),
    post: methods.includes('POST'),
    statuses: new Set(statuses),
    varyHeaders: Object.freeze([...new Set(varyHeaders)].sort()),
    varyCookies: Object.freeze([...new Set(varyCookies)].sort()),
    user: varyBy.user,
    authOptIn: varyBy.user !== undefined || varyHeaders.includes('authorization'),
    cookieOptIn: varyBy.user !== undefined || varyCookies.length > 0 || varyHeaders.includes('cookie'),
    tags: tagSource<R>(o.tags, 'tags'),
    key: o.key,
    honorRequestCacheControl: o.honorRequestCacheControl ?? false,
    maxEntryBytes,
    invalidateOnMutation: o.invalidateOnMutation ?? true,
    invalidateTags: tagSource<R>(o.invalidateTags, 'invalidateTags'),
    cacheStatus: resolveCacheStatus(o.cacheStatus),
    origin: freshnessMode(o.freshness),
    heuristic: heuristicFraction(o.heuristic),
    targets: Object.freeze(
      list(o.targets ?? ['cdn-cache-control'], 'targets', isHeaderName, 'header names').map((h) =>
        h.toLowerCase(),
      ),
    ),
  })
}

function parseBytesOption(input: ByteSize): number {
  const bytes = parseBytes(input, 'maxEntryBytes')
  if (!(bytes > 0) || !Number.isFinite(bytes)) throw invalid('maxEntryBytes must be a positive, finite size')
  return bytes
}

function freshnessMode(value: unknown): boolean {
  if (value === undefined || value === 'route') return false
  if (value === 'origin') return true
  throw invalid("freshness must be 'route' or 'origin'")
}

function heuristicFraction(value: unknown): number {
  if (value === undefined || value === false) return 0
  if (typeof value !== 'number' || !(value > 0 && value <= 1))
    throw invalid('heuristic must be a fraction in (0, 1] or false')
  return value
}
