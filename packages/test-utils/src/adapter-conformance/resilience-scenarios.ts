import { createCache } from '@cache/core'
import { expect } from 'vitest'
import { deferred } from '../deferred.js'
import { failingStore } from '../failing-store.js'
import { until } from '../until.js'
import type { AdapterConformanceScenario } from './scenario.js'
import type { ConformanceResponse } from './types.js'

/** Failures and load: stale on error, a broken store, concurrent misses. */
export const resilienceScenarios: readonly AdapterConformanceScenario[] = [
  {
    id: 'stale-on-error',
    name: 'serves the stored response as STALE within grace when the handler throws, without the error’s headers',
    async run({ start }) {
      let calls = 0
      const app = await start([
        {
          method: 'GET',
          path: '/flaky',
          cache: { ttl: 50, grace: '10s' },
          handler: () => {
            if (++calls > 1) throw new Error('conformance: down')
            return { body: { calls } }
          },
        },
      ])
      expect((await app.request('/flaky')).header('x-cache')).toBe('MISS')
      // Expiry is time passing: ask until the entry is no longer fresh.
      let last: ConformanceResponse | undefined
      await until(async () => (last = await app.request('/flaky')).header('x-cache') !== 'HIT', {
        interval: 20,
        message: 'the entry never expired',
      })
      expect([last?.status, last?.header('x-cache'), last?.header('x-error'), last?.json()]).toEqual([
        200,
        'STALE',
        undefined,
        { calls: 1 },
      ])
    },
  },
  {
    id: 'store-faults',
    name: 'a store whose every call fails never reaches the client: the handler answers',
    async run({ start }) {
      let calls = 0
      const broken = createCache({
        namespace: 'conformance',
        memory: false,
        store: failingStore(),
        logger: false,
      })
      try {
        const app = await start(
          [{ method: 'GET', path: '/x', handler: () => ({ body: { calls: ++calls } }) }],
          {
            cache: broken,
          },
        )
        const answers = [await app.request('/x'), await app.request('/x')]
        expect(answers.map((r) => [r.status, r.header('x-cache'), r.json()])).toEqual([
          [200, 'MISS', { calls: 1 }],
          [200, 'MISS', { calls: 2 }],
        ])
      } finally {
        await broken.close()
      }
    },
  },
  {
    id: 'coalesce',
    name: 'runs the handler once for concurrent identical misses; every request gets its response',
    async run({ start }) {
      let calls = 0
      const gate = deferred()
      // The key callback runs when a request reaches the cache, before it joins a flight.
      const arrived = new Set<unknown>()
      const app = await start([
        {
          method: 'GET',
          path: '/slow',
          cache: { key: (req) => arrived.add(req) && 'slow' },
          handler: async () => {
            calls++
            // The leader answers once every request has reached the cache.
            await gate.promise
            return { body: { calls } }
          },
        },
      ])
      const all = Promise.all(Array.from({ length: 20 }, () => app.request('/slow')))
      await until(() => arrived.size === 20 || calls > 1, { message: 'not every request reached the cache' })
      gate.resolve()
      expect(new Set((await all).map((r) => `${r.status} ${r.text}`))).toEqual(new Set(['200 {"calls":1}']))
      expect(calls).toBe(1)
    },
  },
]
