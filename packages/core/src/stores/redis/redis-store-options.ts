import { CacheError, errors } from '../../errors.js'
import { optionKeys } from '../../known-options.js'
import type { RedisConnectionOptions } from './redis-connection.js'

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions extends RedisConnectionOptions {
  /**
   * Prefix of every Redis key this store writes, before the cache namespace.
   * @default ''
   */
  keyPrefix?: string
  /**
   * How long the store remembers an invalidation: `set`, `delete`, `invalidateTags` and `clear`
   * leave a small generation key per key, tag or namespace for this long. A load that started
   * before an invalidation (in any process) is refused when it tries to store after it; a load
   * that takes longer than this is not written to Redis at all (it still answers and fills L1).
   * @default 60_000 (1 minute)
   */
  generationTtl?: number
  /**
   * How long an invalidated tag's generation is kept, and so the longest an entry may live
   * (TTL plus grace) and still keep that tag as a stamp instead of in a tag set. Cached HTTP
   * responses keep their path tag so: storing one writes a single key, and invalidating a path
   * is one generation bump whatever its number of variants. Each `invalidateTags` leaves one
   * small key per tag for this long; `0` indexes every tag in a set.
   * @default 3_600_000 (1 hour)
   */
  stampTtl?: number
}

// `redis` and `cluster.options` are ioredis's own options: ioredis reads them, we do not check them.
/** Every option name of {@link RedisStoreOptions}, for the unknown-option check. */
export const REDIS_STORE_OPTIONS = optionKeys<RedisStoreOptions>({
  url: true,
  redis: true,
  cluster: true,
  client: true,
  commandTimeout: true,
  keyPrefix: true,
  generationTtl: true,
  stampTtl: true,
})

/** The generation and stamp lifetimes of {@link RedisStoreOptions}, checked (ms). */
export function storeLifetimes(options: RedisStoreOptions): { generationTtl: number; stampTtl: number } {
  const generationTtl = options.generationTtl ?? 60_000
  if (!Number.isInteger(generationTtl) || generationTtl < 1000) {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'generationTtl must be an integer >= 1000 (ms)')
  }
  const stampTtl = options.stampTtl ?? 3_600_000
  if (!Number.isInteger(stampTtl) || stampTtl < 0) {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'stampTtl must be an integer >= 0 (ms)')
  }
  return { generationTtl, stampTtl }
}
