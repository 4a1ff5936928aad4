/**
 * `@cache/nestjs`: response caching and method memoization for NestJS 10+ on
 * `@nestjs/platform-express` and `@nestjs/platform-fastify`, over the shared HTTP rules of
 * `@cache/core/http`. Glue only: keys, storability, coalescing, grace and invalidation are the
 * core's. The names `@nestjs/cache-manager` uses (`CacheModule`, `CacheInterceptor`, `CacheKey`,
 * `CacheTTL`) stay theirs, so both can be installed side by side.
 */
export type { HttpInvalidation, RouteCacheOptions, VaryBy, XCacheStatus } from '@cache/core/http'
export {
  CacheResponse,
  type CacheResponseFactory,
  InvalidateTags,
  NoCache,
  type TagsSource,
} from './decorators.js'
export { ResponseCacheInterceptor } from './interceptor.js'
export { Memoize, type MemoizeOptions } from './memoize.js'
export {
  ResponseCacheModule,
  type ResponseCacheModuleAsyncOptions,
  type ResponseCacheModuleOptions,
  type ResponseCacheModuleRootOptions,
} from './module.js'
export { HTTP_RESPONSE_CACHE, type NestRequest, RESPONSE_CACHE } from './tokens.js'
