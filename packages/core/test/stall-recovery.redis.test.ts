import { describe, expect, it } from 'vitest'
import { DEADLINE, pauseClients, useFaultHarness } from './fault-harness.js'

const h = useFaultHarness()

describe('after a Redis stall', () => {
  it('a lease taken by a reply that came too late is released: the next cold read does not wait for it', async () => {
    const s = await h.server()
    const a = (await h.cache(s.url)).cache
    const b = (await h.cache(s.url)).cache
    // Writes (the lease) wait 600 ms; a's acquisition is cut at its deadline and it loads alone,
    // but Redis still takes the lease for a when the pause ends.
    await pauseClients(s, 600, 'WRITE')
    expect(await a.getOrSet('k', () => 'a')).toBe('a')
    await s.client().set('probe', '1') // waits out the pause
    await a.delete('k')
    const started = performance.now()
    expect(await b.getOrSet('k', () => 'b')).toBe('b')
    // One deadline plus polling at most, never lease.wait (10 s).
    expect(performance.now() - started).toBeLessThan(DEADLINE + 1500)
  })

  it('a cold request during a pause answers within one deadline plus the loader, not one per call', async () => {
    const s = await h.server()
    const deadline = 400
    const { cache } = await h.cache(s.url, { remote: { timeout: deadline, breakerThreshold: 10 } })
    await pauseClients(s, 5000, 'ALL')
    const started = performance.now()
    expect(await cache.getOrSet('cold', () => 'loaded')).toBe('loaded')
    // Read, lease, write and release would each wait a deadline: 4 × 400 ms.
    expect(performance.now() - started).toBeLessThan(2 * deadline + 200)
  })
})
