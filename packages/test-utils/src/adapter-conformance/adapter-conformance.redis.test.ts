import { describe, expect, it } from 'vitest'
import { useRedis } from '../redis/use-redis.js'
import { runRedisConformanceScenario } from './describe-adapter-conformance-redis.js'
import { redisScenarios } from './redis-scenarios.js'
import { uncachedApp } from './uncached-app.js'

describe('adapter conformance suite with Redis, on an app without a cache', () => {
  const redis = useRedis()
  it.each(redisScenarios.map((s) => [s.id, s] as const))('%s fails', async (_id, scenario) => {
    await expect(runRedisConformanceScenario(scenario, uncachedApp, redis)).rejects.toThrow()
  })
})
