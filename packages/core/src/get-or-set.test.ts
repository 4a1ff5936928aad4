import { afterEach, describe, expect, it, vi } from 'vitest'
import { deferred, tick } from '../test/deferred.js'
import { createCache } from './create-cache.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('getOrSet single-flight', () => {
  it('N concurrent callers share one loader call and get the same value', async () => {
    const cache = createCache()
    const gate = deferred<{ n: number }>()
    let calls = 0
    const loader = () => {
      calls++
      return gate.promise
    }
    const all = Promise.all(Array.from({ length: 100 }, () => cache.getOrSet('k', loader)))
    await tick()
    gate.resolve({ n: 1 })
    const results = await all
    expect(calls).toBe(1)
    expect(new Set(results).size).toBe(1)
    expect(results[0]).toEqual({ n: 1 })
    expect(await cache.getOrSet('k', loader)).toEqual({ n: 1 })
    expect(calls).toBe(1)
    expect(cache.stats().loads).toBe(1)
  })

  it('flights are per cache instance and per full namespaced key', async () => {
    const a = createCache()
    const b = createCache()
    let calls = 0
    const loader = async () => {
      calls++
      await tick()
      return calls
    }
    await Promise.all([
      a.getOrSet('k', loader),
      b.getOrSet('k', loader),
      a.namespace('n').getOrSet('k', loader),
    ])
    expect(calls).toBe(3)
  })

  it('loader errors reach every waiter and are not cached', async () => {
    const cache = createCache()
    let calls = 0
    const failing = async () => {
      calls++
      await tick()
      throw new Error('model down')
    }
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => cache.getOrSet('k', failing)))
    expect(calls).toBe(1)
    expect(
      results.every((r) => r.status === 'rejected' && (r.reason as Error).message === 'model down'),
    ).toBe(true)
    expect(await cache.getOrSet('k', () => 'ok')).toBe('ok')
    expect(cache.stats().loadErrors).toBe(1)
  })
})

describe('stale serving', () => {
  it('grace: a failing loader serves the expired value and emits stale', async () => {
    vi.useFakeTimers()
    const cache = createCache({ ttl: 1000, grace: '1h' })
    const stale: string[] = []
    cache.on('stale', (e) => stale.push(e.reason))
    await cache.getOrSet('k', () => 'v1')
    vi.advanceTimersByTime(1500)
    expect(await cache.get('k')).toBeUndefined() // get never returns stale values
    const value = await cache.getOrSet('k', () => {
      throw new Error('down')
    })
    expect(value).toBe('v1')
    expect(stale).toEqual(['error'])
    vi.advanceTimersByTime(3_600_000)
    await expect(
      cache.getOrSet('k', () => {
        throw new Error('down')
      }),
    ).rejects.toThrow('down')
  })

  it('without grace an expired value is never served', async () => {
    vi.useFakeTimers()
    const cache = createCache({ ttl: 1000 })
    await cache.getOrSet('k', () => 'v1')
    vi.advanceTimersByTime(1001)
    await expect(
      cache.getOrSet('k', () => {
        throw new Error('down')
      }),
    ).rejects.toThrow('down')
  })

  it('staleWhileRevalidate returns the stale value at once and refreshes once in the background', async () => {
    vi.useFakeTimers()
    const cache = createCache({ ttl: 1000, grace: '1h', staleWhileRevalidate: true })
    await cache.set('k', 'old')
    vi.advanceTimersByTime(2000)
    const gate = deferred<string>()
    let calls = 0
    const loader = () => {
      calls++
      return gate.promise
    }
    expect(await cache.getOrSet('k', loader)).toBe('old')
    expect(await cache.getOrSet('k', loader)).toBe('old')
    expect(calls).toBe(1)
    gate.resolve('new')
    await vi.advanceTimersByTimeAsync(0)
    expect(await cache.getOrSet('k', loader)).toBe('new')
    expect(calls).toBe(1)
    expect(cache.stats().staleHits).toBe(2)
  })

  it('a failing background refresh keeps the stale value and emits an error event', async () => {
    vi.useFakeTimers()
    const cache = createCache({ ttl: 1000, grace: '1h', staleWhileRevalidate: true })
    const errors: string[] = []
    cache.on('error', (e) => errors.push(`${e.operation}:${e.error.message}`))
    await cache.set('k', 'old')
    vi.advanceTimersByTime(2000)
    expect(
      await cache.getOrSet('k', async () => {
        throw new Error('boom')
      }),
    ).toBe('old')
    await vi.advanceTimersByTimeAsync(0)
    expect(errors).toEqual(['refresh:boom'])
    expect(await cache.getOrSet('k', () => 'fresh', { staleWhileRevalidate: false })).toBe('fresh')
  })

  it('soft timeout: a slow loader yields the stale value, then its result is stored', async () => {
    vi.useFakeTimers()
    const cache = createCache({ ttl: 1000, grace: '1h' })
    await cache.set('k', 'old')
    vi.advanceTimersByTime(1500)
    const slow = () => new Promise<string>((r) => setTimeout(() => r('new'), 5000))
    const p = cache.getOrSet('k', slow, { timeout: 100 })
    await vi.advanceTimersByTimeAsync(100)
    expect(await p).toBe('old')
    await vi.advanceTimersByTimeAsync(5000)
    expect(await cache.get('k')).toBe('new')
  })

  it('soft timeout without a stale value waits for the loader', async () => {
    vi.useFakeTimers()
    const cache = createCache({ timeout: 10 })
    const p = cache.getOrSet('k', () => new Promise<string>((r) => setTimeout(() => r('v'), 1000)))
    await vi.advanceTimersByTimeAsync(1000)
    expect(await p).toBe('v')
  })
})

describe('invalidation wins over loads that started before it', () => {
  for (const [name, invalidate] of [
    ['delete', (c: ReturnType<typeof createCache>) => c.delete('k')],
    ['invalidateTags', (c: ReturnType<typeof createCache>) => c.invalidateTags(['t'])],
    ['clear', (c: ReturnType<typeof createCache>) => c.clear()],
  ] as const) {
    it(`${name} during a load: callers get the value, nothing is stored`, async () => {
      const cache = createCache()
      const gate = deferred<string>()
      const inFlight = cache.getOrSet('k', () => gate.promise, { tags: ['t'] })
      await tick()
      await invalidate(cache)
      gate.resolve('computed before the invalidation')
      expect(await inFlight).toBe('computed before the invalidation')
      expect(await cache.get('k')).toBeUndefined()
    })
  }

  it('a caller arriving after the invalidation starts a new load', async () => {
    const cache = createCache()
    const gate = deferred<string>()
    const first = cache.getOrSet('k', () => gate.promise)
    await tick()
    await cache.delete('k')
    const second = cache.getOrSet('k', () => 'after')
    gate.resolve('before')
    expect(await first).toBe('before')
    expect(await second).toBe('after')
    expect(await cache.get('k')).toBe('after')
  })

  it('an overwriting set wins over an older load', async () => {
    const cache = createCache()
    const gate = deferred<string>()
    const inFlight = cache.getOrSet('k', () => gate.promise)
    await tick()
    await cache.set('k', 'explicit')
    gate.resolve('loaded')
    await inFlight
    expect(await cache.get('k')).toBe('explicit')
  })

  it('tag invalidation of another tag does not cancel the load', async () => {
    const cache = createCache()
    const gate = deferred<string>()
    const inFlight = cache.getOrSet('k', () => gate.promise, { tags: ['t'] })
    await tick()
    await cache.invalidateTags(['other'])
    gate.resolve('v')
    await inFlight
    expect(await cache.get('k')).toBe('v')
  })
})

describe('getOrSet with bad options', () => {
  it('refuses bad tags before running the loader', async () => {
    const cache = createCache()
    let calls = 0
    await expect(cache.getOrSet('k', () => ++calls, { tags: [1 as never] })).rejects.toMatchObject({
      code: 'ERR_CACHE_INVALID_OPTION',
    })
    expect(calls).toBe(0)
  })

  it('an unencodable loaded value answers the caller, is not stored, and emits an error', async () => {
    const cache = createCache()
    const errors: string[] = []
    cache.on('error', (e) => errors.push((e.error as { code?: string }).code ?? ''))
    const fn = () => 1
    expect(await cache.getOrSet('k', () => fn)).toBe(fn)
    expect(await cache.get('k')).toBeUndefined()
    expect(errors).toEqual(['ERR_CACHE_UNENCODABLE_VALUE'])
  })
})
