import { afterEach, describe, expect, it, vi } from 'vitest'
import { MemoryStore } from '../stores/memory-store.js'
import { RemoteTier } from './remote-tier.js'

afterEach(() => {
  vi.useRealTimers()
})

const DEADLINE = 100

function tier(): RemoteTier {
  return new RemoteTier(new MemoryStore(), {
    timeout: DEADLINE,
    connectTimeout: 0,
    breaker: { threshold: 5, resetAfter: 1000 },
  })
}

/** A walk of `steps` steps of `stepMs` each, reporting each one; resolves to the steps done. */
function walk(steps: number, stepMs: number, stallAt = Number.POSITIVE_INFINITY) {
  return async (_store: unknown, progress: () => void) => {
    for (let i = 0; i < steps; i++) {
      await new Promise((resolve) => setTimeout(resolve, i === stallAt ? 60_000 : stepMs))
      progress()
    }
    return steps
  }
}

describe('RemoteTier deadlines', () => {
  it('a stepped call that keeps making progress runs past one deadline in all', async () => {
    vi.useFakeTimers()
    const call = tier().call('clear', walk(10, DEADLINE / 2), { stepped: true })
    await vi.advanceTimersByTimeAsync(10 * (DEADLINE / 2))
    await expect(call).resolves.toBe(10)
  })

  it('a stepped call is cut one deadline after its last step', async () => {
    vi.useFakeTimers()
    const call = tier().call('clear', walk(10, DEADLINE / 2, 3), { stepped: true })
    let outcome: string | undefined
    call.then(
      () => {
        outcome = 'resolved'
      },
      (error: { code?: string }) => {
        outcome = error.code
      },
    )
    // Three steps, then a stall: still running a moment before the deadline after the third.
    await vi.advanceTimersByTimeAsync(3 * (DEADLINE / 2) + DEADLINE - 5)
    expect(outcome).toBeUndefined()
    await vi.advanceTimersByTimeAsync(10)
    expect(outcome).toBe('ERR_CACHE_TIMEOUT')
  })

  it('a call that is not stepped is cut one deadline after its start, progress or not', async () => {
    vi.useFakeTimers()
    const call = tier().call('clear', walk(10, DEADLINE / 2))
    const outcome = call.then(
      () => 'resolved',
      (error: { code?: string }) => error.code,
    )
    await vi.advanceTimersByTimeAsync(2 * DEADLINE)
    expect(await outcome).toBe('ERR_CACHE_TIMEOUT')
  })
})
