import { type RedisServerHandle, type StartRedisOptions, startRedis } from './start-redis.js'

/**
 * A fresh `redis-server` owned by the caller, for fault tests (kill, pause, SIGSTOP, restart,
 * FLUSHALL, memory limits). Unlike `useRedis()` it never uses `REDIS_URL` or the per-run shared
 * server, because those are shared with other test files.
 *
 * @example
 * let redis: RedisServerHandle
 * beforeAll(async () => { redis = await startPrivateRedis() })
 * afterAll(() => redis?.stop())
 */
export function startPrivateRedis(options?: StartRedisOptions): Promise<RedisServerHandle> {
  return startRedis(options)
}
