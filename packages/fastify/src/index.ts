/**
 * `@cache/fastify`: response caching for Fastify 5 over the shared HTTP rules of
 * `@cache/core/http`. Glue only: keys, storability, coalescing, grace and invalidation are the
 * core's.
 */
import './augment.js'

/** Version of the `@cache/core` this adapter is built against. */
export type { HttpCache, HttpInvalidation, RouteCacheOptions, VaryBy, XCacheStatus } from '@cache/core/http'
export { type ResponseCachePluginOptions, responseCachePlugin } from './plugin.js'
