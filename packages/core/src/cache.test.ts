import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCache } from './create-cache.js'
import { encodeEntry } from './entry/index.js'
import { errors, isCacheError } from './errors.js'
import type { CacheEvents } from './events.js'
import { MemoryStore } from './stores/memory-store.js'
import { entryHeapBytes } from './tiers/memory-tier.js'

async function rejectionCode(p: Promise<unknown> | (() => unknown)): Promise<string | undefined> {
  try {
    await (typeof p === 'function' ? p() : p)
  } catch (error) {
    return isCacheError(error) ? error.code : `not a CacheError: ${String(error)}`
  }
  return undefined
}

describe('Cache basics', () => {
  it('round-trips values, falsy ones included', async () => {
    const cache = createCache()
    const values = [0, false, '', null, [], {}, 'x', { a: [1, { b: 2 }] }, new Date(5), 10n]
    for (const [i, v] of values.entries()) await cache.set(`k${i}`, v)
    for (const [i, v] of values.entries()) expect(await cache.get(`k${i}`)).toEqual(v)
    expect(await cache.get('missing')).toBeUndefined()
  })

  it('refuses an unencodable value at set and writes nothing', async () => {
    const cache = createCache()
    await cache.set('k', 'before')
    expect(await rejectionCode(cache.set('k', { fn: () => 1 }))).toBe(errors.ERR_CACHE_UNENCODABLE_VALUE)
    expect(await cache.get('k')).toBe('before')
    expect(cache.stats().sets).toBe(1)
  })

  it('keys that are not strings are hashed canonically', async () => {
    const cache = createCache()
    await cache.set({ b: 2, a: 1 }, 'v')
    expect(await cache.get({ a: 1, b: 2 })).toBe('v')
    expect(await cache.get({ a: 1, b: '2' })).toBeUndefined()
  })

  it('validates options at setup', () => {
    const code = (fn: () => unknown) => {
      try {
        fn()
      } catch (e) {
        return (e as { code?: string }).code
      }
    }
    expect(code(() => createCache({ ttl: '5 parsecs' }))).toBe(errors.ERR_CACHE_INVALID_DURATION)
    expect(code(() => createCache({ namespace: 'a:b' }))).toBe(errors.ERR_CACHE_INVALID_OPTION)
    expect(code(() => createCache({ ttlJitter: 1.5 }))).toBe(errors.ERR_CACHE_INVALID_OPTION)
    expect(code(() => createCache({ memory: { maxEntries: 0 } }))).toBe(errors.ERR_CACHE_INVALID_OPTION)
    expect(code(() => createCache({ memory: { maxBytes: 'much' } }))).toBe(errors.ERR_CACHE_INVALID_OPTION)
    expect(code(() => createCache({ store: {} as never }))).toBe(errors.ERR_CACHE_INVALID_OPTION)
    expect(code(() => createCache().namespace('x/y'))).toBe(errors.ERR_CACHE_INVALID_OPTION)
  })

  it('refuses bad tags', async () => {
    const cache = createCache()
    expect(await rejectionCode(cache.set('k', 1, { tags: [''] }))).toBe(errors.ERR_CACHE_INVALID_OPTION)
    expect(await rejectionCode(cache.invalidateTags('t' as never))).toBe(errors.ERR_CACHE_INVALID_OPTION)
  })
})

describe('TTL', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('expires entries after their TTL (ms or duration string)', async () => {
    const cache = createCache({ ttl: '5m' })
    await cache.set('default', 1)
    await cache.set('short', 2, { ttl: 1000 })
    vi.advanceTimersByTime(999)
    expect(await cache.get('short')).toBe(2)
    vi.advanceTimersByTime(1)
    expect(await cache.get('short')).toBeUndefined()
    vi.advanceTimersByTime(5 * 60_000 - 1001)
    expect(await cache.get('default')).toBe(1)
    vi.advanceTimersByTime(1)
    expect(await cache.get('default')).toBeUndefined()
  })

  it('keeps no timer per key, even for a year or forever', async () => {
    const warnings: Error[] = []
    const onWarning = (w: Error) => warnings.push(w)
    process.on('warning', onWarning)
    const cache = createCache()
    await cache.set('year', 1, { ttl: '1y' })
    await cache.set('forever', 2, { ttl: 'forever' })
    await cache.set('big', 3, { ttl: 2 ** 40 })
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(365 * 86_400_000 - 1)
    expect(await cache.get('year')).toBe(1)
    expect(await cache.get('forever')).toBe(2)
    vi.useRealTimers()
    await new Promise((r) => setTimeout(r, 10))
    process.off('warning', onWarning)
    expect(warnings.filter((w) => w.name === 'TimeoutOverflowWarning')).toEqual([])
  })

  it('jitter spreads expiries within ±fraction', async () => {
    const cache = createCache({ ttl: 10_000, ttlJitter: 0.1 })
    const ttls: number[] = []
    cache.on('set', (e) => ttls.push(e.ttl))
    for (let i = 0; i < 200; i++) await cache.set(`k${i}`, i)
    expect(Math.min(...ttls)).toBeGreaterThanOrEqual(9000)
    expect(Math.max(...ttls)).toBeLessThanOrEqual(11_000)
    expect(new Set(ttls).size).toBeGreaterThan(50)
    const plain = createCache({ ttl: 10_000 })
    const fixed: number[] = []
    plain.on('set', (e) => fixed.push(e.ttl))
    for (let i = 0; i < 20; i++) await plain.set(`k${i}`, i)
    expect(new Set(fixed)).toEqual(new Set([10_000]))
  })
})

describe('memory tier bounds', () => {
  it('evicts least recently used entries past maxEntries', async () => {
    const cache = createCache({ memory: { maxEntries: 3 } })
    for (const k of ['a', 'b', 'c']) await cache.set(k, k)
    await cache.get('a')
    await cache.set('d', 'd')
    expect(await cache.get('b')).toBeUndefined()
    expect(await cache.get('a')).toBe('a')
    expect(cache.stats().tiers.memory.entries).toBe(3)
  })

  it('is bounded by bytes, keys plus values', async () => {
    const cache = createCache({ memory: { maxBytes: 20_000, maxEntryBytes: 20_000 } })
    for (let i = 0; i < 50; i++) await cache.set(`k${i}`, 'x'.repeat(1000))
    const { bytes, entries } = cache.stats().tiers.memory
    expect(bytes).toBeLessThanOrEqual(20_000)
    expect(entries).toBeLessThan(20)
    expect(entries).toBeGreaterThan(10)
    expect(await cache.get('k49')).toBe('x'.repeat(1000))
    expect(await cache.get('k0')).toBeUndefined()
  })

  it('charges a plain object (measured, not encoded) about what its encoded entry would', async () => {
    const values = [
      { id: 1, text: 'x'.repeat(1000), roles: ['a', 'b'], score: 0.5, ok: true },
      // A stored HTTP response's shape: binary leaves are measured too.
      { kind: 'response', status: 200, headers: [['etag', '"x"']], body: Buffer.alloc(1000, 1) },
    ]
    for (const value of values) {
      const cache = createCache()
      await cache.set('k', value)
      const encoded = encodeEntry({ value, createdAt: 0, expiresAt: 0, staleUntil: 0, tags: [] }).byteLength
      const expected = entryHeapBytes('cache:k', value, encoded)
      const { bytes } = cache.stats().tiers.memory
      expect(bytes).toBeGreaterThanOrEqual(expected * 0.97)
      expect(bytes).toBeLessThanOrEqual(expected * 1.05)
    }
  })

  it('does not store values above maxEntryBytes and removes the earlier value', async () => {
    const cache = createCache({ memory: { maxBytes: '1MB', maxEntryBytes: 2000 } })
    await cache.set('k', 'small')
    await cache.set('k', 'y'.repeat(5000))
    expect(await cache.get('k')).toBeUndefined()
    expect(cache.stats().tiers.memory.entries).toBe(0)
  })
})

describe('namespaces, tags, clear', () => {
  it('namespace clear() removes only its own keys (and its children)', async () => {
    const root = createCache({ namespace: 'app' })
    const users = root.namespace('users')
    const posts = root.namespace('posts')
    await root.set('users:1', 'root key that looks like a child key')
    await users.set('1', 'u1')
    await users.namespace('deep').set('1', 'd1')
    await posts.set('1', 'p1')
    await users.clear()
    expect(await users.get('1')).toBeUndefined()
    expect(await users.namespace('deep').get('1')).toBeUndefined()
    expect(await posts.get('1')).toBe('p1')
    expect(await root.get('users:1')).toBe('root key that looks like a child key')
    await root.clear()
    expect(await posts.get('1')).toBeUndefined()
    expect(await root.get('users:1')).toBeUndefined()
  })

  it('the same key in two namespaces is two entries', async () => {
    const root = createCache()
    await root.namespace('a').set('k', 1)
    await root.namespace('b').set('k', 2)
    expect(await root.namespace('a').get('k')).toBe(1)
    expect(await root.namespace('b').get('k')).toBe(2)
    expect(root.namespace('a').fullKey('k')).toBe('cache/a:k')
  })

  it('invalidateTags makes every entry carrying a tag a miss, and only those', async () => {
    const cache = createCache()
    await cache.set('a', 1, { tags: ['user:1', 'team:1'] })
    await cache.set('b', 2, { tags: ['user:2', 'team:1'] })
    await cache.namespace('ns').set('c', 3, { tags: ['user:1'] })
    await cache.set('d', 4)
    await cache.invalidateTags(['user:1'])
    expect(await cache.get('a')).toBeUndefined()
    expect(await cache.namespace('ns').get('c')).toBeUndefined()
    expect(await cache.get('b')).toBe(2)
    expect(await cache.get('d')).toBe(4)
    await cache.invalidateTags(['team:1'])
    expect(await cache.get('b')).toBeUndefined()
  })

  it('an entry re-set without a tag is not removed by that tag', async () => {
    const cache = createCache()
    await cache.set('a', 1, { tags: ['t'] })
    await cache.set('a', 2)
    await cache.invalidateTags(['t'])
    expect(await cache.get('a')).toBe(2)
  })
})

describe('stats and events', () => {
  it('counters add up and events are delivered', async () => {
    const cache = createCache()
    const seen: { [K in keyof CacheEvents]?: number } = {}
    for (const e of ['hit', 'miss', 'set', 'delete', 'invalidate', 'clear'] as const) {
      cache.on(e, () => {
        seen[e] = (seen[e] ?? 0) + 1
      })
    }
    await cache.set('a', 1)
    await cache.get('a')
    await cache.get('b')
    await cache.getMany(['a', 'b', 'c'])
    await cache.getOrSet('d', () => 4)
    await cache.getOrSet('d', () => 5)
    await cache.delete('a')
    await cache.invalidateTags(['x'])
    await cache.clear()
    const s = cache.stats()
    expect(s.hits).toBe(3)
    expect(s.misses).toBe(4)
    expect(s.lookups).toBe(s.hits + s.misses + s.staleHits)
    expect(s.lookups).toBe(7)
    expect(s.hitRatio).toBeCloseTo(3 / 7)
    expect(s.sets).toBe(2)
    expect(s.loads).toBe(1)
    // 'a' by its delete, then 'd' by the clear (the tag invalidation matched nothing).
    expect(s.deletes).toBe(2)
    expect(s.tiers.memory.hits + s.tiers.memory.misses).toBe(7)
    expect(seen).toEqual({ hit: 3, miss: 4, set: 2, delete: 1, invalidate: 1, clear: 1 })
  })

  it('a throwing listener does not break the cache; off() unsubscribes', async () => {
    const cache = createCache()
    const unsubscribe = cache.on('hit', () => {
      throw new Error('listener bug')
    })
    await cache.set('a', 1)
    expect(await cache.get('a')).toBe(1)
    unsubscribe()
    let n = 0
    const l = () => n++
    cache.on('miss', l)
    await cache.get('x')
    cache.off('miss', l)
    await cache.get('x')
    expect(n).toBe(1)
  })
})

describe('peek', () => {
  it('answers from memory synchronously; a value found is one memory hit, nothing found counts nothing', async () => {
    const cache = createCache({ ttl: 1000 })
    const hits: string[] = []
    cache.on('hit', ({ key, tier }) => hits.push(`${key}@${tier}`))
    await cache.set('a', { v: 1 })
    expect(cache.peek('a')).toEqual({ v: 1 })
    expect(cache.peek('nope')).toBeUndefined()
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 0, lookups: 1 })
    expect(cache.stats().tiers.memory).toMatchObject({ hits: 1, misses: 0 })
    expect(hits).toEqual(['cache:a@memory'])
    // The get that follows a failed peek counts the miss, once.
    expect(await cache.get('nope')).toBeUndefined()
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, lookups: 2 })
  })

  it('never returns an expired entry, and never reads L2', async () => {
    vi.useFakeTimers()
    try {
      const store = new MemoryStore()
      const writer = createCache({ store, bus: false })
      const reader = createCache({ store, bus: false, ttl: 1000, grace: '1m' })
      await writer.set('in-l2-only', 1)
      expect(reader.peek('in-l2-only')).toBeUndefined()
      await reader.set('k', 2)
      vi.advanceTimersByTime(1001)
      expect(reader.peek('k')).toBeUndefined() // stale (within grace) is not fresh
    } finally {
      vi.useRealTimers()
    }
  })

  it('throws ERR_CACHE_CLOSED once closed', async () => {
    const cache = createCache()
    await cache.close()
    expect(await rejectionCode(() => cache.peek('a'))).toBe(errors.ERR_CACHE_CLOSED)
  })
})

describe('close', () => {
  it('using a closed cache is ERR_CACHE_CLOSED, for every namespace; close is idempotent', async () => {
    const cache = createCache()
    const ns = cache.namespace('x')
    await cache.close()
    await cache.close()
    for (const call of [
      () => cache.get('a'),
      () => cache.set('a', 1),
      () => cache.getOrSet('a', () => 1),
      () => ns.get('a'),
      () => cache.getMany(['a']),
      () => cache.setMany([]),
      () => cache.delete('a'),
      () => cache.invalidateTags(['t']),
      () => cache.clear(),
    ]) {
      expect(await rejectionCode(call)).toBe(errors.ERR_CACHE_CLOSED)
    }
    // A promise API rejects, never throws: `cache.get(k).catch(...)` must see the error.
    const pending = cache.get('a')
    expect(pending).toBeInstanceOf(Promise)
    expect(await rejectionCode(pending)).toBe(errors.ERR_CACHE_CLOSED)
  })

  it('get rejects a key it cannot hash, rather than throwing', async () => {
    const cache = createCache()
    const pending = cache.get({ f: () => 1 } as never)
    expect(pending).toBeInstanceOf(Promise)
    expect(await rejectionCode(pending)).toBe(errors.ERR_CACHE_INVALID_KEY_INPUT)
    await cache.close()
  })
})
