import { describe, expect, it, vi } from 'vitest'
import { ChaosStore } from '../test/chaos-store.js'
import { ConnectingStore } from '../test/connecting-store.js'
import { createCache } from './create-cache.js'
import { MemoryStore } from './stores/memory-store.js'

describe('cache.health()', () => {
  it('memory only: ok, with L1 usage; not ok once closed', async () => {
    const cache = createCache()
    await cache.set('k', 'v')
    const health = cache.health()
    expect(health).toEqual({
      ok: true,
      closed: false,
      tiers: { memory: { ok: true, entries: 1, bytes: expect.any(Number) } },
    })
    expect(health.tiers.memory!.bytes).toBeGreaterThan(0)
    await cache.close()
    expect(cache.health()).toEqual({
      ok: false,
      closed: true,
      tiers: { memory: { ok: true, entries: 0, bytes: 0 } },
    })
  })

  it('a store that does not report a connection: the breaker decides', async () => {
    const cache = createCache({ memory: false, store: new MemoryStore() })
    expect(cache.health()).toEqual({
      ok: true,
      closed: false,
      tiers: { remote: { ok: true, store: 'memory', breaker: 'closed' } },
    })
  })

  it('invalidations waiting for the store: counted, and not ok until replayed', async () => {
    const store = new ChaosStore(new MemoryStore())
    const cache = createCache({ memory: false, store })
    store.mode = 'fail'
    await cache.delete('k')
    await cache.invalidateTags(['t'])
    expect(cache.health().tiers.remote).toMatchObject({ ok: false, pendingInvalidations: 2 })
    store.mode = 'ok'
    await vi.waitFor(() =>
      expect(cache.health().tiers.remote).toEqual({ ok: true, store: 'chaos', breaker: 'closed' }),
    )
    await cache.close()
  })

  it('a connecting store: not ok until connected, with the cause of the failure', () => {
    const store = new ConnectingStore(new MemoryStore())
    const cache = createCache({ memory: false, store, logger: false })
    expect(cache.health().tiers.remote).toEqual({
      ok: false,
      store: 'chaos',
      address: 'test://store',
      connected: false,
      breaker: 'closed',
    })
    store.fail(Object.assign(new Error(''), { code: 'ECONNREFUSED' }))
    expect(cache.health().tiers.remote?.lastError).toBe('ECONNREFUSED')
    store.connect()
    expect(cache.health()).toMatchObject({ ok: true, tiers: { remote: { ok: true, connected: true } } })
    expect(cache.health().tiers.remote).not.toHaveProperty('lastError')
  })
})
