import type { Cache } from '../cache.js'
import type { GetOrSetOptions } from '../get-or-set.js'
import { STAMP_TAGS, type StampableOptions } from '../stamp-tags.js'
import { type CacheStatusParams, formatCacheStatus, ttlSeconds } from './cache-status.js'
import { DONE, replayStored } from './decisions.js'
import type { ResolvedRoute } from './route-options.js'
import type {
  HttpDecision,
  HttpRequestInfo,
  Produce,
  Produced,
  ProduceMode,
  StoredResponse,
  XCacheStatus,
} from './types.js'

/** Everything the read paths need about one request, built once by `HttpCache.handle`. */
export interface ReadContext<R = unknown> {
  /** The HTTP namespace of the cache. */
  readonly ns: Cache
  readonly route: ResolvedRoute<R>
  readonly req: HttpRequestInfo<R>
  readonly primary: string
  /** Read before the handler runs: capture mode hides it from the handler. */
  readonly ifNoneMatch: string | readonly string[] | undefined
  /** Read before the handler runs, like `ifNoneMatch`. */
  readonly ifModifiedSince: string | readonly string[] | undefined
  /** `getOrSet`/`set` options: the route's TTL, grace and tags, no background refresh. */
  readonly opts: GetOrSetOptions
  /** Stale entries being refreshed in this process, served as `STALE` meanwhile. */
  readonly refreshing: Map<string, StoredResponse>
  /** Calls the adapter's `produce` (at most once). */
  readonly produce: (mode: ProduceMode) => Promise<Produced>
  /** The `Cache-Status` value for these parameters (with the key when the route shows it); `undefined` when off. */
  status(params: CacheStatusParams): string | undefined
}

/**
 * Soft timeout passed to `getOrSet`: effectively none (the largest timer Node accepts), because a
 * cache-wide `timeout` would return a stale entry while this request's own handler, bound to its
 * response, kept running.
 */
const NO_TIMEOUT = 2 ** 31 - 1

/** Builds the read context of a request. */
export function readContext<R>(
  ns: Cache,
  route: ResolvedRoute<R>,
  req: HttpRequestInfo<R>,
  primary: string,
  tags: readonly string[],
  refreshing: Map<string, StoredResponse>,
  produce: Produce,
): ReadContext<R> {
  // The path tag (first) may be a stamp: on Redis a stored response is then one key.
  const opts: StampableOptions = {
    ttl: route.ttl,
    tags,
    staleWhileRevalidate: false,
    timeout: NO_TIMEOUT,
    [STAMP_TAGS]: 1,
  }
  if (route.grace !== undefined) opts.grace = route.grace
  return {
    ns,
    route,
    req,
    primary,
    ifNoneMatch: req.headers['if-none-match'],
    ifModifiedSince: req.headers['if-modified-since'],
    opts,
    refreshing,
    produce: once(produce),
    status: (params) => cacheStatusOf(route, primary, params),
  }
}

/** The `Cache-Status` value of a route for these parameters; `undefined` when the route sends none. */
export function cacheStatusOf(
  route: Pick<ResolvedRoute, 'cacheStatus'>,
  key: string | undefined,
  params: CacheStatusParams,
): string | undefined {
  const config = route.cacheStatus
  if (config === undefined) return undefined
  if (config.key && key !== undefined) params.key = key
  return formatCacheStatus(config.name, params)
}

function once(produce: Produce): Produce {
  let called = false
  return (mode) => {
    if (called) return Promise.reject(new Error('@cache/core/http: produce called twice for one request'))
    called = true
    return produce(mode)
  }
}

/**
 * The mode for a response the core may store: captured, conditionals hidden from the handler.
 * `cacheStatus` is what a response that streams past the capture says (it is not stored).
 */
export function captureMode(
  route: Pick<ResolvedRoute, 'maxEntryBytes'>,
  cacheStatus: string | undefined,
): ProduceMode {
  return {
    capture: true,
    xCache: 'MISS',
    cacheStatus,
    maxBytes: route.maxEntryBytes,
    hideConditionalHeaders: true,
  }
}

/** Lets the handler write directly, with `x-cache` set to `xCache` and `cache-status` to `cacheStatus` (or none). */
export async function passthrough(
  produce: Produce,
  xCache: XCacheStatus | undefined,
  cacheStatus: string | undefined,
): Promise<HttpDecision> {
  await produce({ capture: false, xCache, cacheStatus, maxBytes: 0, hideConditionalHeaders: false })
  return DONE
}

/**
 * Replays a stored response to this request (304 when its `If-None-Match` matches). `HIT` and
 * `STALE` served without running the handler are `hit` with the remaining freshness as `ttl`
 * (negative once stale, RFC 9211 §2.4); `forwarded` describes a handler run whose failure the
 * stored response answers instead (stale-if-error).
 */
export function serve<R>(
  ctx: ReadContext<R>,
  stored: StoredResponse,
  xCache: XCacheStatus,
  forwarded?: CacheStatusParams,
): HttpDecision {
  const method = ctx.req.method
  const now = Date.now()
  const ttl = ttlSeconds(stored.expiresAt, now)
  const status = ctx.status(forwarded === undefined ? { hit: true, ttl } : { ...forwarded, ttl })
  return replayStored(stored, xCache, ctx.ifNoneMatch, method === 'GET' || method === 'HEAD', now, status)
}
