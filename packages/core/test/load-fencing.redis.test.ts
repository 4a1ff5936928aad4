import { randomUUID } from 'node:crypto'
import { PATIENT_REMOTE, useRedis } from '@cache/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Cache } from '../src/cache.js'
import { createCache } from '../src/create-cache.js'
import { RedisStore } from '../src/stores/redis/redis-store.js'
import { type CacheWorker, eventually, spawnCacheWorker } from './cache-worker.js'

const redis = useRedis()
const cleanups: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

/** A loading process (a child) and an invalidating one whose bus message never reaches it. */
async function twoProcesses(): Promise<{ a: CacheWorker; b: Cache; redisKey: string }> {
  const namespace = `fence${randomUUID().slice(0, 8)}`
  const a = await spawnCacheWorker({ REDIS_URL: redis.url, KEY_PREFIX: redis.prefix, NAMESPACE: namespace })
  cleanups.push(() => a.stop())
  await a.call('ready')
  // A cold process's first scripts cost extra round trips: warm up, so the load under test gets
  // its fence within the request's Redis budget.
  await a.call('getOrSetMany', { key: 'warm-up', options: { tags: ['w'] } })
  // No bus: only Redis can tell the loader about this process's invalidations, as when the
  // message is still on its way while the load finishes.
  const b = createCache({
    namespace,
    store: new RedisStore({ url: redis.url, keyPrefix: redis.prefix }),
    bus: false,
    remote: PATIENT_REMOTE,
  })
  cleanups.push(() => b.close())
  await b.ready()
  return { a, b, redisKey: `${redis.prefix}${namespace}:race` }
}

const invalidations: [string, (b: Cache) => Promise<unknown>][] = [
  ['delete', (b) => b.delete('race')],
  ['invalidateTags', (b) => b.invalidateTags(['t'])],
  ['clear', (b) => b.clear()],
  ['an overwriting set', (b) => b.set('race', 'from b')],
]

describe('an invalidation in another process wins over a load that began before it', () => {
  it.each(invalidations)('%s', async (_name, invalidate) => {
    const { a, b, redisKey } = await twoProcesses()
    const load = a.call<{ by: number }[]>('getOrSetMany', {
      key: 'race',
      gate: 'g',
      options: { tags: ['t'] },
    })
    await eventually(async () => (await a.call<number>('loaderCalls')) === 2)
    await invalidate(b)
    await a.call('open-gate', { gate: 'g' })
    expect((await load)[0]!.by).toBe(a.pid) // the load still answers its own callers
    const stored = await redis.client().get(redisKey)
    expect(stored === null || (await b.get('race')) === 'from b').toBe(true)
    // Nor does the loading process keep it in its L1 (a write that outlived the request's Redis
    // budget is judged when its answer comes).
    await eventually(async () => {
      const seen = await a.call('get', { key: 'race' })
      return seen === undefined || seen === 'from b'
    })
  })
})
