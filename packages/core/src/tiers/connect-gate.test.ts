import { afterEach, describe, expect, it, vi } from 'vitest'
import { ConnectingStore } from '../../test/connecting-store.js'
import { createCache } from '../create-cache.js'
import { errors, isCacheError } from '../errors.js'
import { MemoryStore } from '../stores/memory-store.js'

afterEach(() => {
  vi.useRealTimers()
})

function setup(connectTimeout: number) {
  const inner = new MemoryStore()
  const store = new ConnectingStore(inner)
  const cache = createCache({ namespace: 'g', memory: false, store, remote: { connectTimeout } })
  const failures: unknown[] = []
  cache.on('error', ({ error }) => failures.push(error))
  return { inner, store, cache, failures }
}

describe('calls made before the first connection', () => {
  it('wait for it, then run: a set right after createCache is written', async () => {
    const { inner, store, cache, failures } = setup(5000)
    const written = cache.set('k', 'v')
    const read = cache.getMany(['k'])
    await Promise.resolve()
    expect(store.calls).toBe(0)
    store.connect()
    await written
    await read
    expect(inner.usage.entries).toBe(1)
    expect(await cache.get('k')).toBe('v')
    expect(failures).toEqual([])
  })

  it('wait at most connectTimeout, then fail and are never sent late', async () => {
    vi.useFakeTimers()
    const { inner, store, cache, failures } = setup(300)
    let done = false
    const loaded = cache
      .getOrSet('k', () => 'loaded')
      .finally(() => {
        done = true
      })
    while (!done) await vi.advanceTimersByTimeAsync(100)
    expect(await loaded).toBe('loaded')
    // The read gave up and spent the request's Redis budget: the answer does not wait for the
    // write of the loaded value, which gives up in the background.
    expect(failures).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(400)
    expect(failures).toHaveLength(2)
    expect(failures.every((e) => isCacheError(e, errors.ERR_CACHE_TIMEOUT))).toBe(true)
    store.connect()
    await vi.advanceTimersByTimeAsync(1000)
    expect(store.calls).toBe(0)
    expect(inner.usage.entries).toBe(0)
  })

  it('fail at once with the cause when the first attempt fails; later calls fail fast', async () => {
    const { store, cache, failures } = setup(5000)
    const read = cache.get('k')
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' })
    store.fail(refused)
    expect(await read).toBeUndefined()
    expect((failures[0] as Error).cause).toBe(refused)
    // The gate is open for good: this call is refused by the store itself, not held.
    expect(await cache.get('k2')).toBeUndefined()
    expect(failures).toHaveLength(2)
    expect((failures[1] as Error).message).toContain('chaos: connection refused')
  })

  it('do not wait with connectTimeout 0, nor once connected', async () => {
    const { store, cache, failures } = setup(0)
    expect(await cache.get('k')).toBeUndefined()
    expect(failures).toHaveLength(1)
    expect(store.calls).toBe(1) // sent at once, and refused
    store.connect()
    await cache.set('k', 1)
    expect(store.calls).toBe(2)
  })
})
