import { type Cache, createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'

/** Settings of {@link createAppCache}. */
export interface AppCacheOptions {
  /** Redis L2 + invalidation bus when set; memory only otherwise. */
  redisUrl?: string
  /** Prefix of every Redis key. @default '' */
  redisKeyPrefix?: string
  /** Deadline of every Redis call and budget of one request across them, in ms. @default 250 */
  redisTimeoutMs?: number
  /** L1 bound in MB. @default 128 */
  memoryMb?: number
}

/** The app's cache and, on Redis, the store (for the health check). */
export interface AppCache {
  cache: Cache
  store: RedisStore | undefined
  /** 'redis' or 'memory'. */
  backend: 'redis' | 'memory'
}

/** Root namespace of every key of the app. */
export const CACHE_NAMESPACE = 'ml-api'

/**
 * The memory cache, or memory L1 + Redis L2 + invalidation bus when `redisUrl` is set. With
 * Redis, L1 entries live at most one minute: while the bus is down another replica's
 * invalidation can be missed, and this bounds for how long.
 */
export function createAppCache(options: AppCacheOptions): AppCache {
  const memory = { maxEntries: 200_000, maxBytes: `${options.memoryMb ?? 128}MB` }
  if (options.redisUrl === undefined) {
    return { cache: createCache({ namespace: CACHE_NAMESPACE, memory }), store: undefined, backend: 'memory' }
  }
  const store = new RedisStore({ url: options.redisUrl, keyPrefix: options.redisKeyPrefix ?? '' })
  const cache = createCache({
    namespace: CACHE_NAMESPACE,
    memory: { ...memory, maxTtl: '1m' },
    store,
    remote: { timeout: options.redisTimeoutMs ?? 250 },
  })
  return { cache, store, backend: 'redis' }
}
