import { describe, expect, it } from 'vitest'
import { createCache } from '../create-cache.js'
import { MemoryStore } from '../stores/memory-store.js'

/** A shared in-process store with leases, where another "process" writes the value just as we take the lease. */
class RacingLeaseStore extends MemoryStore {
  onAcquire: (() => Promise<void>) | undefined
  async acquireLease(_key: string, _ttl: number): Promise<string | undefined> {
    await this.onAcquire?.()
    return 'token'
  }
  async releaseLease(): Promise<void> {}
}

describe('cross-process lease', () => {
  it('a new leader re-reads L2 first: a value the previous leader just wrote is used, not recomputed', async () => {
    const store = new RacingLeaseStore()
    const other = createCache({ namespace: 'app', store, bus: false })
    const cache = createCache({ namespace: 'app', store, bus: false })
    store.onAcquire = async () => {
      store.onAcquire = undefined
      await other.set('k', 'from the previous leader')
    }
    let calls = 0
    expect(await cache.getOrSet('k', () => `computed ${++calls}`)).toBe('from the previous leader')
    expect(calls).toBe(0)
  })
})
