import type { HttpCache, RouteCacheOptions } from '@cache/core/http'
import type { FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * This route's response caching options, merged over the plugin's and validated at
     * registration (`ERR_CACHE_INVALID_OPTION`); `false` disables caching for the route.
     * Callbacks (`tags`, `key`, `varyBy.user`, `invalidateTags`) receive the Fastify request.
     */
    responseCache?: RouteCacheOptions<FastifyRequest> | false
  }

  interface FastifyInstance {
    /**
     * The HTTP cache of `@cache/fastify`: `invalidate({ paths, tags })` drops cached responses;
     * `cache` is the namespace they are stored in. (Named `responseCache`, not `cache`: that
     * decorator belongs to `@fastify/caching`.)
     */
    responseCache: HttpCache<FastifyRequest>
  }
}
