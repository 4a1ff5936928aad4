import { randomBytes } from 'node:crypto'
import { type Cache, createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'
import { Redis } from 'ioredis'
import { describe, it } from 'vitest'
import { PATIENT_REMOTE } from '../patient-remote.js'
import { useRedis } from '../redis/use-redis.js'
import { runAdapterConformanceScenario } from './describe-adapter-conformance.js'
import {
  type RedisConformanceContext,
  type RedisConformanceScenario,
  redisScenarios,
} from './redis-scenarios.js'
import type { AdapterConformanceFactory } from './types.js'

/**
 * Runs one Redis scenario against apps from `factory`, its replicas' caches on the Redis at
 * `redis.url` under a key prefix of its own (starting with `redis.prefix`); closes them after.
 */
export async function runRedisConformanceScenario(
  scenario: RedisConformanceScenario,
  factory: AdapterConformanceFactory,
  redis: { url: string; prefix: string },
): Promise<void> {
  const keyPrefix = `${redis.prefix}${scenario.id}:${randomBytes(3).toString('hex')}:`
  const caches: Cache[] = []
  const replica = (options?: { memory?: false }) => {
    const cache = createCache({
      namespace: 'conformance',
      store: new RedisStore({ url: redis.url, keyPrefix }),
      remote: PATIENT_REMOTE,
      ...options,
    })
    caches.push(cache)
    return cache
  }
  const admin = new Redis(redis.url, { lazyConnect: true })
  const redisKeys = async () => {
    const found: string[] = []
    let cursor = '0'
    do {
      const [next, keys] = await admin.scan(cursor, 'MATCH', `${keyPrefix}*`, 'COUNT', 1000)
      cursor = next
      found.push(...keys.map((k) => k.slice(keyPrefix.length)))
    } while (cursor !== '0')
    return found.sort()
  }
  try {
    await runAdapterConformanceScenario<Pick<RedisConformanceContext, 'replica' | 'redisKeys'>>(
      scenario,
      factory,
      { replica, redisKeys },
    )
  } finally {
    admin.disconnect()
    await Promise.all(caches.map((cache) => cache.close()))
  }
}

/**
 * Registers a vitest `describe` block with the adapter conformance scenarios that need Redis
 * (replicas sharing it), for a `*.redis.test.ts` file: the same factory as
 * `describeAdapterConformance`.
 *
 * @example
 * describeAdapterConformanceRedis('Express', expressConformanceApp)
 */
export function describeAdapterConformanceRedis(name: string, factory: AdapterConformanceFactory): void {
  describe(`adapter conformance with Redis: ${name}`, () => {
    const redis = useRedis()
    for (const scenario of redisScenarios) {
      it(scenario.name, () => runRedisConformanceScenario(scenario, factory, redis))
    }
  })
}
