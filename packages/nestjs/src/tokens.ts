import type { IncomingHttpHeaders } from 'node:http'

/** Token of the module's `Cache`: `@Inject(RESPONSE_CACHE) cache: Cache`. Strings: ESM and CJS copies agree. */
export const RESPONSE_CACHE = '@cache/nestjs:cache'

/** Token of the `HttpCache` behind the interceptor (`invalidate({ paths, tags })`). */
export const HTTP_RESPONSE_CACHE = '@cache/nestjs:http-cache'

/** @internal The module's `AdapterCache` (its cache, HTTP cache and lifecycle). */
export const ADAPTER_CACHE = '@cache/nestjs:adapter-cache'

/** @internal The {@link CacheScope} of one `forRoot`/`forRootAsync`: which module's routes it serves. */
export const CACHE_SCOPE = '@cache/nestjs:scope'

/** @internal The provider that awaits the cache at boot and closes it at shutdown. */
export const CACHE_LIFECYCLE = '@cache/nestjs:lifecycle'

/** Metadata keys of the decorators. */
export const CACHE_RESPONSE_METADATA = '@cache/nestjs:cache-response'
export const NO_CACHE_METADATA = '@cache/nestjs:no-cache'
export const INVALIDATE_TAGS_METADATA = '@cache/nestjs:invalidate-tags'

/**
 * What route callbacks (`tags`, `key`, `varyBy.user`) receive: Express's `Request` or Fastify's
 * `FastifyRequest`, typed by what both have (`@CacheResponse<FastifyRequest>()` for the rest).
 */
export interface NestRequest {
  method: string
  url: string
  headers: IncomingHttpHeaders
  params: Record<string, string>
  query: Record<string, unknown>
  body?: unknown
}
