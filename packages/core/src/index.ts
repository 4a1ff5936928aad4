/** Version of `@cache/core`. */
export const CORE_VERSION = '0.1.0'

export { Cache, type CacheKey, type PrewarmBatchOptions, type SetManyItem } from './cache.js'
export type { CacheInspection } from './cache-admin.js'
export type { WriteOptions } from './cache-core.js'
export type { CacheHealth, RemoteHealth } from './cache-health.js'
export type { ReadyOptions } from './cache-ready.js'
export { createCache } from './create-cache.js'
export { type ByteSize, type Duration, parseBytes, parseDuration } from './duration.js'
export type { CacheEntry } from './entry/entry.js'
export { CODEC_VERSION, decodeEntry, encodeEntry } from './entry/index.js'
export { CacheError, type CacheErrorCode, type CacheErrorOptions, errors, isCacheError } from './errors.js'
export type { CacheEventName, CacheEvents, CacheListener, TierName } from './events.js'
export { GET_OR_SET_FLAGS, type GetOrSetOptions, type Loader, type LoaderContext } from './get-or-set.js'
export { hashKey } from './keys/index.js'
export { assertKnownOptions, type OptionFlags, optionKeys } from './known-options.js'
export type { CacheLogger } from './logger.js'
export type { CacheOptions } from './options.js'
export type { CacheStats, TierStats } from './stats.js'
export type { MemoryOptions } from './stores/memory-options.js'
export { MemoryStore } from './stores/memory-store.js'
export {
  type CacheStore,
  type ConnectableStore,
  STORE_CONTRACT_VERSION,
  type StoreCapabilities,
  type StoreWrite,
} from './stores/store.js'
export type { BreakerState } from './tiers/circuit-breaker.js'
export type { WrapOptions } from './wrap-function.js'
