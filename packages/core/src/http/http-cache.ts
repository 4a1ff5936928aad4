import type { Cache } from '../cache.js'
import { CacheError, errors } from '../errors.js'
import { assertNamespace } from '../keys/key-layout.js'
import { parseCacheControl } from './cache-control.js'
import { ttlSeconds } from './cache-status.js'
import { cachedRead, lookupOnly, refreshRead } from './cached-read.js'
import { DONE, replayStored, sendOwn } from './decisions.js'
import { invalidationPaths } from './invalidation-targets.js'
import { type OriginState, originRespond } from './origin-respond.js'
import { pathTag } from './path-tag.js'
import { cacheStatusOf, passthrough, readContext } from './read-context.js'
import { credentialsOf, type PendingKey, primaryKey, rememberPrimaryKey, variantKey } from './request-key.js'
import { type ResolvedRoute, type RouteCacheOptions, resolveRouteOptions } from './route-options.js'
import { isStoredResponse, isVariantIndex } from './stored-response.js'
import type {
  HttpCacheValue,
  HttpDecision,
  HttpRequestInfo,
  Produce,
  StoredResponse,
  VariantIndex,
} from './types.js'

/** Options of {@link createHttpCache}: the cache, plus default route options. */
export interface HttpCacheOptions<R = unknown> extends RouteCacheOptions<R> {
  /** The cache responses are stored in (memory, or memory + Redis). */
  cache: Cache
  /**
   * Child namespace of `cache` holding the responses (`cache.clear()` on the parent clears them too).
   * @default 'http'
   */
  namespace?: string
}

/** What {@link HttpCache.invalidate} drops. */
export interface HttpInvalidation {
  /** URL paths whose cached responses (every query, header and body variant) are dropped. @default [] */
  paths?: readonly string[]
  /** Tags to invalidate, as given to routes' `tags`. @default [] */
  tags?: readonly string[]
}

const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE'])
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE'])

/**
 * The HTTP caching rules (docs/http-rules.md), framework-free. An adapter resolves each route's
 * options once with {@link HttpCache.route}, then for every request converts the framework's
 * request into {@link HttpRequestInfo}, calls {@link HttpCache.handle} with a `produce` callback
 * that runs the handler, and writes the returned {@link HttpDecision} back.
 */
export class HttpCache<R = unknown> {
  /** The namespace responses are stored in. */
  readonly cache: Cache
  readonly #defaults: RouteCacheOptions<R>
  readonly #defaultRoute: ResolvedRoute<R>
  // Per instance, never module-global: two caches (or two tests) never share refreshes.
  readonly #refreshing = new Map<string, StoredResponse>()
  // Filled by `primaryKey` and read by `#replay` in the same synchronous run of `respond`.
  readonly #pendingKey: PendingKey = { memoKey: undefined }
  #lastPath: string | undefined = undefined
  #lastPathTags: readonly string[] = []
  readonly #origin: OriginState<R> = {
    refreshing: this.#refreshing,
    flights: new Map(),
    tags: (req, route) => this.#tags(req, route),
    pendingKey: this.#pendingKey,
  }

  /** @internal Use {@link createHttpCache}. */
  constructor(cache: Cache, defaults: RouteCacheOptions<R>) {
    this.cache = cache
    this.#defaults = defaults
    this.#defaultRoute = resolveRouteOptions<R>(undefined, defaults)
    // An invalidation wins over a refresh in progress: stop serving its stale entry at once.
    const forget = () => this.#refreshing.clear()
    cache.on('invalidate', forget)
    cache.on('clear', forget)
    cache.on('delete', forget)
  }

  /**
   * Validates a route's options (merged over the defaults) once, at registration. `false`
   * disables caching for the route. Throws `ERR_CACHE_INVALID_OPTION`.
   */
  route(options?: RouteCacheOptions<R> | false): ResolvedRoute<R> {
    return options === undefined ? this.#defaultRoute : resolveRouteOptions(options, this.#defaults)
  }

  /**
   * The one entry point of adapters. Decides from the request whether the cache may answer,
   * answers from it, or calls `produce` (at most once) to run the handler, stores what may be
   * stored, and says what to send. Rejects only on programming errors (a throwing route
   * callback) or when `produce` rejects; store faults never reach it.
   */
  async handle(
    req: HttpRequestInfo<R>,
    route: ResolvedRoute<R>,
    produce: Produce,
    background?: Produce,
  ): Promise<HttpDecision> {
    return this.respond(req, route, produce, background)
  }

  /**
   * {@link handle} for hot paths: a fresh response in this process's memory is answered
   * synchronously (no promise, no microtask turn, no tags callback); anything else returns the
   * promise `handle` would. A throwing route callback may throw synchronously here, so adapters
   * call it inside `try`.
   *
   * `background`, for adapters that can run the handler for no client (a proxy fetching from its
   * upstream): under `freshness: 'origin'`, a response within its `stale-while-revalidate` window
   * is answered stale at once and revalidated with it. Without it, that request revalidates.
   */
  respond(
    req: HttpRequestInfo<R>,
    route: ResolvedRoute<R>,
    produce: Produce,
    background?: Produce,
  ): HttpDecision | Promise<HttpDecision> {
    if (!route.enabled) return passthrough(produce, undefined, undefined)
    const method = req.method
    const cacheable =
      method === 'GET' ? route.get : method === 'HEAD' ? route.head : method === 'POST' && route.post
    if (!cacheable) {
      // Origin mode: any method not known to be safe invalidates (RFC 9111 §4.4, RFC 9110 §9.2.1).
      if (route.origin ? !SAFE.has(method) : MUTATIONS.has(method)) return this.#mutation(req, route, produce)
      return passthrough(produce, 'BYPASS', cacheStatusOf(route, undefined, { fwd: 'method' }))
    }
    const headers = req.headers
    // Partial content is neither served from nor stored in the cache.
    if (headers.range !== undefined) return bypass(route, produce)
    if (route.origin) return originRespond(this.cache, req, route, produce, background, this.#origin)
    // Request directives are ignored unless the route opts in (RFC 9111 §5.2.1 lets a cache do
    // so): a client must not be able to force an expensive recomputation.
    const requestCc = route.honorRequestCacheControl ? parseCacheControl(headers['cache-control']) : undefined
    if (requestCc?.noStore)
      return passthrough(produce, 'BYPASS', cacheStatusOf(route, undefined, { fwd: 'request' }))

    const credentials = credentialsOf(headers, route)
    const primary = primaryKey(req, route, credentials, this.#pendingKey)
    if (primary === undefined) return bypass(route, produce)
    const refresh = requestCc !== undefined && (requestCc.noCache || requestCc.maxAge === 0)
    let index: VariantIndex | undefined
    if (credentials !== 'foreign' && !refresh) {
      // Hot path (a hit must cost less than the framework's own response): a fresh
      // response in memory is replayed now, before any context, tags or promise is built.
      const found = this.#peek(primary)
      if (isVariantIndex(found)) {
        index = found
        const variant = this.#peek(variantKey(primary, found.vary, headers))
        if (isStoredResponse(variant)) return this.#replay(req, route, primary, variant)
      } else if (isStoredResponse(found)) return this.#replay(req, route, primary, found)
    }
    const ctx = readContext(
      this.cache,
      route,
      req,
      primary,
      this.#tags(req, route),
      this.#refreshing,
      produce,
    )
    if (credentials === 'foreign') return lookupOnly(ctx, true, 'BYPASS')
    if (method === 'HEAD') return lookupOnly(ctx, false, 'MISS', index)
    if (refresh) return refreshRead(ctx)
    return cachedRead(ctx, index)
  }

  /** A fresh value in memory, or `undefined` (a closed cache fails open: the slow path decides). */
  #peek(key: string): HttpCacheValue | undefined {
    try {
      return this.cache.peek<HttpCacheValue>(key)
    } catch {
      return undefined
    }
  }

  #replay(
    req: HttpRequestInfo<R>,
    route: ResolvedRoute<R>,
    key: string,
    stored: StoredResponse,
  ): HttpDecision {
    rememberPrimaryKey(this.#pendingKey, key)
    const method = req.method
    const conditional = method === 'GET' || method === 'HEAD'
    const now = Date.now()
    const status = cacheStatusOf(route, key, { hit: true, ttl: ttlSeconds(stored.expiresAt, now) })
    return replayStored(stored, 'HIT', req.headers['if-none-match'], conditional, now, status)
  }

  /** Drops the cached responses of `paths` (all their variants) and every response tagged with one of `tags`. */
  async invalidate(what: HttpInvalidation): Promise<void> {
    const tags = [...(what.paths ?? []).map(pathTag), ...(what.tags ?? [])]
    if (tags.length > 0) await this.cache.invalidateTags(tags)
  }

  #tags(req: HttpRequestInfo<R>, route: ResolvedRoute<R>): readonly string[] {
    if (route.tags === undefined) return this.#pathTags(req.path)
    return [pathTag(req.path), ...checkTags(route.tags(req.raw), 'tags')]
  }

  /**
   * The tag list of a response that carries its path tag alone. Consecutive requests for one
   * path (its query variants) share one frozen list: every stored entry keeps its tag list for
   * its whole life, and one list per entry is heap a young-generation GC copies twice.
   */
  #pathTags(path: string): readonly string[] {
    if (path !== this.#lastPath) {
      this.#lastPath = path
      this.#lastPathTags = Object.freeze([pathTag(path)])
    }
    return this.#lastPathTags
  }

  /**
   * POST (not opted in), PUT, PATCH, DELETE: never cached. After a 2xx, the cached responses of
   * the path are invalidated (RFC 9111 §4.4) before the response goes out, so the client's next
   * GET sees the change. A response whose status is unknown (aborted) invalidates too: a needless
   * invalidation is harmless, a missed one is not.
   */
  async #mutation(req: HttpRequestInfo<R>, route: ResolvedRoute<R>, produce: Produce): Promise<HttpDecision> {
    const produced = await produce({
      capture: true,
      xCache: 'BYPASS',
      cacheStatus: cacheStatusOf(route, undefined, { fwd: 'method' }),
      maxBytes: route.maxEntryBytes,
      hideConditionalHeaders: false,
    })
    const status = produced.kind === 'aborted' ? undefined : produced.status
    // Origin mode invalidates after any non-error status, Location targets too (RFC 9111 §4.4).
    const success = status === undefined || (status >= 200 && status < (route.origin ? 400 : 300))
    if (success) {
      const paths = !route.invalidateOnMutation
        ? []
        : route.origin
          ? invalidationPaths(req, produced.kind === 'captured' ? produced.headers : undefined)
          : [req.path]
      const tags = paths.map(pathTag)
      if (route.invalidateTags !== undefined)
        tags.push(...checkTags(route.invalidateTags(req.raw), 'invalidateTags'))
      if (tags.length > 0) await this.cache.invalidateTags(tags)
    }
    if (produced.kind !== 'captured') return DONE
    const cacheStatus = cacheStatusOf(route, undefined, { fwd: 'method', fwdStatus: produced.status })
    return sendOwn(produced, 'BYPASS', undefined, cacheStatus)
  }
}

/** Requests the cache does not handle (partial content, no safe key): `x-cache: BYPASS`, `fwd=bypass`. */
function bypass<R>(route: ResolvedRoute<R>, produce: Produce): Promise<HttpDecision> {
  return passthrough(produce, 'BYPASS', cacheStatusOf(route, undefined, { fwd: 'bypass' }))
}

function checkTags(tags: unknown, what: string): readonly string[] {
  if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.length === 0)) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `${what}(req) must return an array of non-empty strings`,
    )
  }
  return tags
}

/**
 * Creates the HTTP layer over a cache. Default route options are validated here
 * (`ERR_CACHE_INVALID_OPTION`), so a bad option fails at startup, not at the first request.
 *
 * @example
 * const http = createHttpCache({ cache, ttl: '1m' })
 * const route = http.route({ tags: (req) => [`item:${req.params.id}`] })
 * const decision = await http.handle(info, route, produce)
 */
export function createHttpCache<R = unknown>(options: HttpCacheOptions<R>): HttpCache<R> {
  if (options === null || typeof options !== 'object') {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'createHttpCache expects an options object')
  }
  const { cache, namespace = 'http', ...defaults } = options
  if (cache === null || typeof cache !== 'object' || typeof cache.getOrSet !== 'function') {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      'createHttpCache needs options.cache (a Cache from createCache)',
    )
  }
  assertNamespace(namespace)
  return new HttpCache<R>(cache.namespace(namespace), defaults)
}
