import { PATIENT_REMOTE } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { createCache } from '../src/create-cache.js'
import { busesReady, until, useFaultHarness } from './fault-harness.js'

const h = useFaultHarness()

describe('stats().bus', () => {
  it("counts what each instance published and received, so a test can wait until every instance has seen the others'", async () => {
    const s = await h.server()
    // Exact counts, not deadlines: a write late on a busy machine must not change what is published.
    const { cache: a } = await h.cache(s.url, { remote: PATIENT_REMOTE })
    const { cache: b } = await h.cache(s.url, { remote: PATIENT_REMOTE })
    await busesReady(s.client())
    await a.set('k', 1) // stored: tells the others to drop their L1 copy
    await a.delete('k')
    await b.clear()
    await until(
      () =>
        a.stats().bus!.received === b.stats().bus!.published &&
        b.stats().bus!.received === a.stats().bus!.published,
    )
    expect(a.stats().bus).toEqual({ published: 2, received: 1 })
    expect(b.stats().bus).toEqual({ published: 1, received: 2 })
  })

  it('is absent without a bus', () => {
    expect(createCache().stats().bus).toBeUndefined()
  })
})
