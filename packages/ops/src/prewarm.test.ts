import { createCache } from '@cache/core'
import { describe, expect, it } from 'vitest'
import { prewarm } from './prewarm.js'
import { runConcurrent } from './run-concurrent.js'

describe('prewarm', () => {
  it('loads missing inputs once, counts cached ones, reports progress', async () => {
    const cache = createCache({ namespace: 'app' })
    await cache.set({ x: 2 }, 'cached')
    const calls: number[] = []
    const progress: number[] = []
    const inputs = [{ x: 1 }, { x: 2 }, { x: 3 }]
    const result = await prewarm(
      cache,
      inputs,
      async (input) => {
        calls.push(input.x)
        return input.x * 10
      },
      { concurrency: 2, onProgress: (p) => progress.push(p.done) },
    )
    expect(result).toMatchObject({ done: 3, loaded: 2, cached: 1, failed: 0 })
    expect(calls.sort()).toEqual([1, 3])
    expect(progress).toEqual([1, 2, 3])
    expect(await cache.get({ x: 3 })).toBe(30)
  })

  it('keeps going past failing inputs and reports them', async () => {
    const cache = createCache({ namespace: 'app' })
    const result = await prewarm(cache, [1, 2, 3, 4], (n) => {
      if (n % 2 === 0) throw new Error(`bad ${n}`)
      return n
    })
    expect(result).toMatchObject({ done: 4, loaded: 2, failed: 2 })
    expect(result.failures.map((f) => [f.item, (f.error as Error).message])).toEqual([
      [2, 'bad 2'],
      [4, 'bad 4'],
    ])
    expect(await cache.get(2)).toBeUndefined()
  })

  it('uses the key option and getOrSet options', async () => {
    const cache = createCache({ namespace: 'app' })
    await prewarm(cache, [{ id: 'a' }], (i) => i.id.toUpperCase(), {
      key: (i) => `row:${i.id}`,
      tags: ['rows'],
    })
    expect(await cache.get('row:a')).toBe('A')
    await cache.invalidateTags(['rows'])
    expect(await cache.get('row:a')).toBeUndefined()
  })
})

describe('runConcurrent', () => {
  it('never has more than `concurrency` items in flight, and pulls inputs lazily', async () => {
    let inFlight = 0
    let peak = 0
    let pulled = 0
    async function* inputs() {
      for (let i = 0; i < 20; i++) {
        pulled++
        yield i
      }
    }
    const seenPulledAtStart: number[] = []
    const result = await runConcurrent(
      inputs(),
      async () => {
        seenPulledAtStart.push(pulled)
        inFlight++
        peak = Math.max(peak, inFlight)
        await new Promise((r) => setTimeout(r, 2))
        inFlight--
      },
      { concurrency: 3 },
    )
    expect(result.done).toBe(20)
    expect(peak).toBe(3)
    // Never more than the lanes' worth of items read ahead.
    expect(Math.max(...seenPulledAtStart.map((p, i) => p - i))).toBeLessThanOrEqual(3)
  })

  it('stops on abort and rejects a bad concurrency', async () => {
    const controller = new AbortController()
    const run = runConcurrent(
      [1, 2, 3, 4, 5],
      async (n) => {
        if (n === 2) controller.abort()
      },
      { concurrency: 1, signal: controller.signal },
    )
    await expect(run).rejects.toThrow(/abort/i)
    await expect(runConcurrent([1], async () => {}, { concurrency: 0 })).rejects.toThrow(/concurrency/)
  })
})
