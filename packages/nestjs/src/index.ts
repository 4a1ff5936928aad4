/**
 * `@cache/nestjs` will export `ResponseCacheModule` with `@CacheResponse()` and friends, over the shared
 * HTTP rules of `@cache/core/http` (issue: HTTP response caching). Until then it re-exports nothing
 * but the core version it is built against.
 */
export { CORE_VERSION } from '@cache/core'
