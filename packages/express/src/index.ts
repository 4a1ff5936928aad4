/**
 * `@cache/express`: response caching for Express 4.21+ and 5 over the shared HTTP rules of
 * `@cache/core/http`. Glue only: keys, storability, coalescing, grace and invalidation are the
 * core's.
 */

/** Version of the `@cache/core` this adapter was built against. */
export type { HttpInvalidation, RouteCacheOptions, VaryBy, XCacheStatus } from '@cache/core/http'
export { type ResponseCacheMiddleware, type ResponseCacheOptions, responseCache } from './response-cache.js'
