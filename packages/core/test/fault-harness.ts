import { type RedisServerHandle, startPrivateRedis } from '@cache/test-utils'
import type { Redis } from 'ioredis'
import { afterEach } from 'vitest'
import type { Cache } from '../src/cache.js'
import { createCache } from '../src/create-cache.js'
import type { CacheOptions } from '../src/options.js'
import { RedisStore } from '../src/stores/redis/redis-store.js'

/** Deadline of every L2 call in the fault tests. */
export const DEADLINE = 200

/**
 * Fault-test helpers: a private Redis per test (kill, pause and restart touch nobody else), caches
 * on it standing for separate processes, everything closed after each test.
 */
export function useFaultHarness() {
  const cleanups: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c()
  })
  return {
    /** A private redis-server, stopped after the test. */
    async server(config?: Record<string, string | number>): Promise<RedisServerHandle> {
      const s = await startPrivateRedis(config ? { config } : undefined)
      cleanups.push(() => s.stop())
      return s
    },
    /** A cache of its own (its own connections, bus and L1) on `url`: one "process". Not awaited ready. */
    cacheNow(url: string, extra: CacheOptions = {}): { cache: Cache; store: RedisStore } {
      const store = new RedisStore({ url })
      const cache = createCache({
        namespace: 'f',
        store,
        remote: { timeout: DEADLINE, breakerThreshold: 3, breakerResetAfter: 300 },
        ...extra,
      })
      cleanups.push(() => cache.close())
      return { cache, store }
    },
    /** {@link cacheNow}, once its store is connected. */
    async cache(url: string, extra: CacheOptions = {}): Promise<{ cache: Cache; store: RedisStore }> {
      const made = this.cacheNow(url, extra)
      await made.store.ready()
      return made
    },
    /** Runs `fn` after the test. */
    defer(fn: () => Promise<unknown>): void {
      cleanups.push(fn)
    },
  }
}

/** Polls `check` until it holds; fails after `ms` (generous: the machine may be busy). */
export async function until(check: () => Promise<boolean> | boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 25))
  }
}

/** Resolves once both caches' buses are subscribed (two subscribers on the namespace channel). */
export async function busesReady(client: Redis, channel = '__bus:f', subscribers = 2): Promise<void> {
  await until(async () => Number((await client.pubsub('NUMSUB', channel))[1]) >= subscribers)
}

/** `CLIENT PAUSE ms mode` from a short-lived connection of its own. */
export async function pauseClients(
  server: RedisServerHandle,
  ms: number,
  mode: 'ALL' | 'WRITE',
): Promise<void> {
  const admin = server.client({ lazyConnect: true, maxRetriesPerRequest: 0 })
  try {
    await admin.connect()
    await admin.call('CLIENT', 'PAUSE', String(ms), mode)
  } finally {
    admin.disconnect()
  }
}

/** Four L2 reads of distinct cold keys that fail, so the caller's breaker opens (threshold 3). */
export async function openBreaker(cache: Cache): Promise<void> {
  for (let i = 0; i < 4; i++) await cache.get(`cold-${i}-${Math.random()}`)
}
