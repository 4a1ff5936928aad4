import { CacheError, errors } from '@cache/core'
import { ADAPTER_OPTION_KEYS, type AdapterCacheOptions, adapterCache } from '@cache/core/http/adapter'
import { assertKnownOptions } from '@cache/core/plugin'
import type { FastifyPluginAsync, FastifyRequest, RouteOptions } from 'fastify'
import fp from 'fastify-plugin'
import { cacheOnSend, cachePreHandler, kExchange } from './exchange.js'

/**
 * Options of {@link responseCachePlugin}: the cache (a `Cache`, or the options of one the plugin
 * creates and closes with the app), its lifecycle (`closeCache`, `requireReady`), plus default
 * route options (every `RouteCacheOptions` field: `ttl`, `grace`, `methods`, `varyBy`, `tags`,
 * `maxEntryBytes`...), which `config.responseCache` of each route is merged over.
 */
export interface ResponseCachePluginOptions extends AdapterCacheOptions<FastifyRequest> {
  /**
   * `true`: every route registered after the plugin goes through the cache with the defaults,
   * unless its `config.responseCache` is `false` (mutation routes included: a 2xx PUT, PATCH,
   * DELETE or POST invalidates its path). `false`: only routes with a `config.responseCache`
   * object do.
   * @default true
   */
  global?: boolean
}

type Hook<T> = T | T[] | undefined

function append<T>(hooks: Hook<T>, hook: T): T[] {
  // A new array: the route's own may be shared with the options Fastify copies for its HEAD route.
  return hooks === undefined ? [hook] : Array.isArray(hooks) ? [...hooks, hook] : [hooks, hook]
}

const PLUGIN_OPTION_KEYS = [...ADAPTER_OPTION_KEYS, 'global']

const plugin: FastifyPluginAsync<ResponseCachePluginOptions> = async (fastify, options) => {
  // A typo'd option silently ignored is a cache that does not do what its author thinks.
  assertKnownOptions(options, PLUGIN_OPTION_KEYS, '@cache/fastify plugin options')
  const { global = true, ...adapterOptions } = options
  if (typeof global !== 'boolean')
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'global must be a boolean')
  // Validates the defaults now: a bad option fails registration (ERR_CACHE_INVALID_OPTION).
  const adapter = adapterCache<FastifyRequest>(adapterOptions, '@cache/fastify')
  const http = adapter.http
  // After the server has closed (in-flight requests answered), so no request meets a closed cache.
  fastify.addHook('onClose', () => adapter.close())
  await adapter.ready((message, cause) => fastify.log.warn({ err: cause }, `@cache/fastify: ${message}`))
  fastify.decorate('responseCache', http)
  fastify.decorateRequest(kExchange, null)

  // Route options are read and validated once, at registration (`app.get(...)` throws
  // ERR_CACHE_INVALID_OPTION); routes the cache does not handle get no hook at all.
  fastify.addHook('onRoute', (routeOptions: RouteOptions) => {
    const config = routeOptions.config?.responseCache
    if (config === false || (config === undefined && !global)) return
    const route = http.route(config)
    routeOptions.preHandler = append(routeOptions.preHandler, cachePreHandler(http, route, routeOptions.url))
    routeOptions.onSend = append(routeOptions.onSend, cacheOnSend)
  })
}

/**
 * Fastify response caching over the shared HTTP rules of `@cache/core/http` (glue only).
 * Register it before the routes it caches; per-route options go in `config.responseCache`
 * (`false` disables caching for the route). Decorates the instance with `responseCache`, the
 * HTTP cache (`app.responseCache.invalidate({ paths, tags })`).
 *
 * Registration waits for `cache.ready()` (a cache not ready logs a warning, or fails the start
 * under `requireReady`); `app.close()` closes the cache when the plugin owns it (`closeCache`).
 *
 * @example
 * await app.register(responseCachePlugin, { cache, ttl: '1m' })
 * app.get('/items/:id', { config: { responseCache: { tags: (req) => [`item:${id(req)}`] } } }, getItem)
 */
export const responseCachePlugin = fp(plugin, { fastify: '5.x', name: '@cache/fastify' })
