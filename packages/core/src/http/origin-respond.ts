import type { Cache } from '../cache.js'
import { type CacheControl, parseCacheControl } from './cache-control.js'
import { ttlSeconds } from './cache-status.js'
import { replayStored } from './decisions.js'
import { headerText } from './headers.js'
import { type OriginContext, originRead } from './origin-read.js'
import { judge } from './origin-use.js'
import { cacheStatusOf, passthrough, readContext } from './read-context.js'
import { credentialsOf, type PendingKey, primaryKey, rememberPrimaryKey, variantKey } from './request-key.js'
import type { ResolvedRoute } from './route-options.js'
import { isStoredResponse, isVariantIndex } from './stored-response.js'
import type {
  HttpCacheValue,
  HttpDecision,
  HttpRequestInfo,
  Produce,
  RequestHeaders,
  StoredResponse,
} from './types.js'

/** What an `HttpCache` keeps for `freshness: 'origin'`: per instance, never module-global. */
export interface OriginState<R> {
  /** Stale entries being revalidated, served as `STALE` within `stale-while-revalidate`. */
  readonly refreshing: Map<string, StoredResponse>
  /** Handler runs in progress, by primary key (request coalescing). */
  readonly flights: Map<string, Promise<unknown>>
  /** The tags of a request's stored response. */
  readonly tags: (req: HttpRequestInfo<R>, route: ResolvedRoute<R>) => readonly string[]
  /** The URL key digest computed for the request being answered (see `rememberPrimaryKey`). */
  readonly pendingKey: PendingKey
}

/**
 * A cacheable request (GET, HEAD, opted-in POST) under `freshness: 'origin'`. A fresh response in
 * this process's memory, for a request without directives or `If-Modified-Since`, is answered
 * synchronously (the hot path, as in the route mode); anything else goes to `originRead`.
 */
export function originRespond<R>(
  ns: Cache,
  req: HttpRequestInfo<R>,
  route: ResolvedRoute<R>,
  produce: Produce,
  background: Produce | undefined,
  state: OriginState<R>,
): HttpDecision | Promise<HttpDecision> {
  const headers = req.headers
  const requestCc = route.honorRequestCacheControl ? requestDirectives(headers) : undefined
  if (requestCc?.noStore)
    return passthrough(produce, 'BYPASS', cacheStatusOf(route, undefined, { fwd: 'request' }))
  const credentials = credentialsOf(headers, route)
  const primary = primaryKey(req, route, credentials, state.pendingKey)
  if (primary === undefined)
    return passthrough(produce, 'BYPASS', cacheStatusOf(route, undefined, { fwd: 'bypass' }))
  if (requestCc === undefined && credentials !== 'foreign' && headers['if-modified-since'] === undefined) {
    const hit = freshInMemory(ns, primary, headers)
    if (hit !== undefined) {
      rememberPrimaryKey(state.pendingKey, primary)
      const now = Date.now()
      const status = cacheStatusOf(route, primary, { hit: true, ttl: ttlSeconds(hit.expiresAt, now) })
      const method = req.method
      return replayStored(
        hit,
        'HIT',
        headers['if-none-match'],
        method === 'GET' || method === 'HEAD',
        now,
        status,
      )
    }
  }
  const base = readContext(ns, route, req, primary, state.tags(req, route), state.refreshing, produce)
  const ctx: OriginContext<R> = {
    ...base,
    requestCc,
    authorized: credentials === 'foreign',
    flights: state.flights,
    background,
  }
  return originRead(ctx)
}

/**
 * The request's `Cache-Control`, or `Pragma: no-cache` read as `no-cache` when it has none
 * (RFC 9111 §5.4); `undefined` when the request has no directive at all.
 */
function requestDirectives(headers: RequestHeaders): CacheControl | undefined {
  if (headers['cache-control'] !== undefined) return parseCacheControl(headers['cache-control'])
  const pragma = headerText(headers.pragma)
  if (pragma !== undefined && /(^|,)\s*no-cache\s*(,|$)/i.test(pragma)) {
    return { ...parseCacheControl(undefined), noCache: true }
  }
  return undefined
}

function freshInMemory(ns: Cache, primary: string, headers: RequestHeaders): StoredResponse | undefined {
  let found: HttpCacheValue | undefined
  try {
    found = ns.peek<HttpCacheValue>(primary)
    if (isVariantIndex(found)) found = ns.peek<HttpCacheValue>(variantKey(primary, found.vary, headers))
  } catch {
    return undefined
  }
  return isStoredResponse(found) && judge(found, undefined, Date.now()) === 'fresh' ? found : undefined
}
