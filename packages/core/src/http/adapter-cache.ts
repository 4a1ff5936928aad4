import type { Cache } from '../cache.js'
import { createCache } from '../create-cache.js'
import { CacheError, errors } from '../errors.js'
import { optionKeys } from '../known-options.js'
import type { CacheOptions } from '../options.js'
import { createHttpCache, type HttpCache } from './http-cache.js'
import { ROUTE_OPTION_FLAGS, type RouteCacheOptions } from './route-options.js'

/** The lifecycle options every adapter takes besides its cache and its route defaults. */
export interface CacheLifecycleOptions {
  /**
   * Close the cache (and its Redis connections) when the app closes: Fastify's `onClose`, Nest's
   * `onApplicationShutdown`, Express's `close()` helper. An open Redis connection keeps the
   * process alive after the app has closed.
   * @default true when the adapter created the cache (`cache` given as options); false for a
   *   `Cache` you passed, which is yours (you may share it, and close it yourself)
   */
  closeCache?: boolean
  /**
   * What a cache that is not ready at boot (`cache.ready()` rejected: Redis unreachable, a wrong
   * password) does to the app's start. `false`: a warning is logged and the app starts, serving
   * from memory and its handlers until the store answers (a store fault must never fail a
   * request the app can answer). `true`: the start fails with the cause.
   * @default false
   */
  requireReady?: boolean
}

/** The options every adapter takes: its cache, the namespace of responses, lifecycle, route defaults. */
export interface AdapterCacheOptions<R = unknown> extends CacheLifecycleOptions, RouteCacheOptions<R> {
  /**
   * The cache responses are stored in: a `Cache` (`createCache(...)`), or the options of one,
   * which the adapter then creates and owns (`closeCache` defaults to `true`).
   */
  cache: Cache | CacheOptions
  /**
   * Child namespace of `cache` holding the responses.
   * @default 'http'
   */
  namespace?: string
}

/** Every option key an adapter shares with the others: route defaults, `cache`, `namespace`, lifecycle. */
export const ADAPTER_OPTION_KEYS = optionKeys<AdapterCacheOptions>({
  ...ROUTE_OPTION_FLAGS,
  cache: true,
  namespace: true,
  closeCache: true,
  requireReady: true,
})

/**
 * An adapter's caches and their lifecycle: awaited at boot (`ready`), closed with the app
 * (`close`) when the adapter owns them. Made by {@link adapterCache}.
 */
export class AdapterCache<R = unknown> {
  /** @internal Use {@link adapterCache}. */
  constructor(
    /** The cache (the root one: responses go to a child namespace of it). */
    readonly cache: Cache,
    /** The HTTP cache over it, with the adapter's route defaults. */
    readonly http: HttpCache<R>,
    /** The adapter closes the cache when the app closes. */
    readonly closeCache: boolean,
    /** A cache that is not ready at boot fails the start. */
    readonly requireReady: boolean,
  ) {}

  /**
   * Waits for `cache.ready()` at boot. Resolves `true` once ready; when the cache is not ready,
   * rejects with the cause under `requireReady` (closing the cache first if the adapter owns it:
   * nothing else would, and its connection would keep the process alive), otherwise calls
   * `warn` and resolves `false`.
   */
  async ready(warn: (message: string, cause: unknown) => void): Promise<boolean> {
    try {
      await this.cache.ready()
      return true
    } catch (error) {
      if (this.requireReady) {
        await this.close()
        throw error
      }
      const reason = error instanceof Error ? error.message : String(error)
      warn(
        `The cache is not ready (${reason}): serving from memory and the handlers until its store answers`,
        error,
      )
      return false
    }
  }

  /** Closes the cache when the adapter owns it (`closeCache`); otherwise leaves it open. */
  async close(): Promise<void> {
    if (this.closeCache) await this.cache.close()
  }
}

/**
 * Resolves an adapter's options: the `cache` (a `Cache` is used as is and closed with the app
 * only under `closeCache: true`; options are given to `createCache`, and the cache made is the
 * adapter's, closed with the app unless `closeCache: false`), and the HTTP cache over it with
 * the route defaults. Throws `ERR_CACHE_INVALID_OPTION` at setup on a missing or invalid option
 * (having closed a cache it created for nothing).
 *
 * @param options - the adapter's options, less its own keys (Fastify's `global`...).
 * @param where - the adapter's name, for error messages (`'@cache/fastify'`).
 */
export function adapterCache<R = unknown>(options: AdapterCacheOptions<R>, where: string): AdapterCache<R> {
  const { cache, closeCache, requireReady = false, ...http } = options
  for (const [name, value] of [
    ['closeCache', closeCache],
    ['requireReady', requireReady],
  ] as const) {
    if (value !== undefined && typeof value !== 'boolean')
      throw invalid(`${where}: ${name} must be a boolean`)
  }
  if (isCache(cache)) {
    const httpCache = createHttpCache<R>({ ...http, cache })
    return new AdapterCache(cache, httpCache, closeCache ?? false, requireReady)
  }
  if (cache === null || typeof cache !== 'object' || Array.isArray(cache)) {
    throw invalid(`${where} needs options.cache: a Cache (createCache(...)) or the options of one`)
  }
  const created = createCache(cache)
  try {
    const httpCache = createHttpCache<R>({ ...http, cache: created })
    return new AdapterCache(created, httpCache, closeCache ?? true, requireReady)
  } catch (error) {
    // A bad route default: the cache made for it (a Redis connection, say) must not outlive the error.
    void created.close()
    throw error
  }
}

// Checked by shape, not instanceof: two installed copies of @cache/core each have their own class.
function isCache(value: unknown): value is Cache {
  const cache = value as Partial<Cache> | null
  return (
    typeof cache === 'object' &&
    cache !== null &&
    typeof cache.getOrSet === 'function' &&
    typeof cache.namespace === 'function'
  )
}

function invalid(message: string): CacheError {
  return new CacheError(errors.ERR_CACHE_INVALID_OPTION, message)
}
