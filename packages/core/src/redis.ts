/**
 * `@cache/core/redis`: the Redis store. `ioredis` is an optional peer dependency, loaded only by
 * this entry point, never by `@cache/core` itself.
 */
export { RedisBus } from './bus/redis-bus.js'
export type { RedisClusterOptions, RedisConnectionOptions } from './stores/redis/redis-connection.js'
export type { RedisServerInfo } from './stores/redis/redis-info.js'
export { boundedKey, MAX_RAW_KEY_BYTES } from './stores/redis/redis-keys.js'
export { RedisStore, type RedisStoreOptions } from './stores/redis/redis-store.js'
