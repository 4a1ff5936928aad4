import type { Cache } from '@cache/core'
import { expect } from 'vitest'
import { until } from '../until.js'
import type { AdapterConformanceContext, AdapterConformanceScenario } from './scenario.js'
import type { ConformanceApp, ConformanceRoute } from './types.js'

/** A scenario's context with Redis: caches that share one Redis (L2 and invalidation bus). */
export interface RedisConformanceContext extends AdapterConformanceContext {
  /**
   * A new cache over the scenario's Redis, as another process of the app would have;
   * `{ memory: false }` gives it no memory tier (every read goes to Redis).
   */
  replica(options?: { memory?: false }): Cache
  /** The Redis keys the scenario's caches wrote, without their prefix, sorted. */
  redisKeys(): Promise<string[]>
}

/** A scenario that needs Redis. */
export type RedisConformanceScenario = AdapterConformanceScenario<RedisConformanceContext>

/** `x-cache` of a GET of `path`. */
async function status(app: ConformanceApp, path: string): Promise<string | undefined> {
  return (await app.request(path)).header('x-cache')
}

/** Asks `app` for `path` until its answer is not a HIT any more (the bus is asynchronous). */
async function untilDropped(app: ConformanceApp, path: string): Promise<void> {
  await until(async () => (await status(app, path)) !== 'HIT', {
    interval: 20,
    message: `${path} stayed a HIT after the other replica invalidated it`,
  })
}

/** Two replicas of the app behind a load balancer: what one stores or drops, the other sees. */
export const redisScenarios: readonly RedisConformanceScenario[] = [
  {
    id: 'replicas',
    name: 'replicas share stored responses through Redis, and a mutation or invalidate on one reaches the other',
    async run({ start, replica }) {
      let calls = 0
      const routes: ConformanceRoute[] = [
        {
          method: 'GET',
          path: '/items/:id',
          cache: { tags: (req) => [`item:${req.params.id}`] },
          handler: (req) => ({ body: { id: req.params.id, calls: ++calls } }),
        },
        { method: 'PUT', path: '/items/:id', handler: () => ({ body: { ok: true } }) },
      ]
      const a = await start(routes, { cache: replica() })
      const b = await start(routes, { cache: replica() })
      expect(await status(a, '/items/1')).toBe('MISS')
      const shared = await b.request('/items/1')
      expect([shared.header('x-cache'), shared.json()]).toEqual(['HIT', { id: '1', calls: 1 }])
      // A successful PUT on one replica drops the path on the other.
      expect((await b.request('/items/1', { method: 'PUT' })).status).toBe(200)
      await untilDropped(a, '/items/1')
      expect(await status(b, '/items/1')).toBe('HIT')
      // So does an invalidation by tag.
      await b.invalidate({ tags: ['item:1'] })
      await untilDropped(a, '/items/1')
      expect(calls).toBe(3)
    },
  },
  {
    id: 'one-key',
    name: 'an untagged response is one Redis key, and a mutation still drops every query variant everywhere',
    async run({ start, replica, redisKeys }) {
      let calls = 0
      const routes: ConformanceRoute[] = [
        { method: 'GET', path: '/list', handler: () => ({ body: { calls: ++calls } }) },
        { method: 'POST', path: '/list', handler: () => ({ body: { ok: true } }) },
      ]
      const a = await start(routes, { cache: replica() })
      const b = await start(routes, { cache: replica({ memory: false }) })
      const before = await redisKeys()
      expect(await status(a, '/list?page=1')).toBe('MISS')
      const written = (await redisKeys()).filter((k) => !before.includes(k))
      // The response alone: no tag set, no tag list (the bus and the lease leave no key).
      expect(written).toHaveLength(1)
      expect(await status(a, '/list?page=2')).toBe('MISS')
      expect(await status(b, '/list?page=1')).toBe('HIT')
      expect(await status(b, '/list?page=2')).toBe('HIT')
      expect((await a.request('/list', { method: 'POST' })).status).toBe(200)
      // The replica with no memory tier reads Redis only: the path's generation drops both variants.
      expect(await status(b, '/list?page=1')).toBe('MISS')
      expect(await status(b, '/list?page=2')).toBe('MISS')
      expect(calls).toBe(4)
    },
  },
]
