/**
 * `@cache/core/http`: what an application calls of the HTTP caching rules every adapter shares:
 * the route options it passes to an adapter, `createHttpCache` for its own server, invalidation,
 * and the `Cache-Status` / `Cache-Control` helpers. What an adapter author calls (request facts,
 * decisions, response capture) is `@cache/core/http/adapter`.
 */
export {
  type CacheControl,
  parseCacheControl,
} from './http/cache-control.js'
export {
  type CacheStatusForward,
  type CacheStatusOptions,
  type CacheStatusParams,
  formatCacheStatus,
} from './http/cache-status.js'
export {
  createHttpCache,
  HttpCache,
  type HttpCacheOptions,
  type HttpInvalidation,
} from './http/http-cache.js'
export type { RouteCacheOptions, RouteCallback, VaryBy } from './http/route-options.js'
export type { XCacheStatus } from './http/types.js'
