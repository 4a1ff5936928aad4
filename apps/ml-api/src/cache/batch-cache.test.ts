import { createCache } from '@cache/core'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ComputedItem, Model } from '../models/model.js'
import { UsageStats } from '../stats/usage-stats.js'
import { BatchCache, itemKey, modelTag } from './batch-cache.js'

interface Row {
  a: number
  b: number
}

/** A model that records its calls and can be held until released. */
class FakeModel implements Model<Row, number> {
  readonly kind = 'tabular' as const
  readonly description = 'fake'
  readonly settings = {}
  readonly pricePer1kTokens = 0
  readonly paid = false
  readonly calls: Row[][] = []
  gate: Promise<void> | undefined
  fail: Error | undefined
  constructor(
    readonly id = 'fake',
    readonly version = 'v1',
  ) {}
  async predict(inputs: readonly Row[]): Promise<ComputedItem<number>[]> {
    this.calls.push([...inputs])
    await this.gate
    if (this.fail) throw this.fail
    return inputs.map((r) => ({ value: r.a * 100 + r.b + (this.version === 'v1' ? 0 : 0.5), tokens: 1 }))
  }
}

function setup() {
  const cache = createCache({ namespace: 'test' })
  const stats = new UsageStats()
  const batch = new BatchCache(cache, stats, '1h')
  return { cache, stats, batch, model: new FakeModel() }
}

function deferred(): { promise: Promise<void>; release: () => void } {
  let release!: () => void
  const promise = new Promise<void>((r) => {
    release = r
  })
  return { promise, release }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('BatchCache', () => {
  it('looks every item up with one getMany and computes the misses in one model call, in input order', async () => {
    const { cache, batch, model } = setup()
    await batch.resolve(model, [{ a: 1, b: 1 }])
    const getMany = vi.spyOn(cache, 'getMany')
    const rows = [
      { a: 2, b: 2 },
      { a: 1, b: 1 },
      { a: 3, b: 3 },
    ]
    const result = await batch.resolve(model, rows)
    expect(getMany).toHaveBeenCalledTimes(1)
    expect(model.calls).toEqual([[{ a: 1, b: 1 }], [rows[0], rows[2]]])
    expect(result.items.map((i) => i.value)).toEqual([202, 101, 303])
    expect(result).toMatchObject({ hits: 1, misses: 2 })
  })

  it('computes a duplicated input once and answers it at every position', async () => {
    const { batch, model } = setup()
    const result = await batch.resolve(model, [
      { a: 1, b: 2 },
      { b: 2, a: 1 },
      { a: 1, b: 2 },
    ])
    expect(model.calls).toEqual([[{ a: 1, b: 2 }]])
    expect(result.items.map((i) => i.value)).toEqual([102, 102, 102])
    expect(result).toMatchObject({ hits: 0, misses: 3 })
  })

  it('hits whatever the key order of the input', async () => {
    const { batch, model } = setup()
    await batch.resolve(model, [{ a: 5, b: 6 }])
    const again = await batch.resolve(model, [JSON.parse('{ "b" : 6,\n "a": 5 }') as Row])
    expect(again).toMatchObject({ hits: 1, misses: 0 })
    expect(model.calls).toHaveLength(1)
    expect(itemKey(model, { a: 5, b: 6 })).toBe(itemKey(model, { b: 6, a: 5 }))
  })

  it('never serves another model version', async () => {
    const { batch } = setup()
    const v1 = new FakeModel('m', 'v1')
    const v2 = new FakeModel('m', 'v2')
    await batch.resolve(v1, [{ a: 1, b: 1 }])
    const result = await batch.resolve(v2, [{ a: 1, b: 1 }])
    expect(result).toMatchObject({ hits: 0, misses: 1 })
    expect(result.items[0]!.value).toBe(101.5)
    expect(v2.calls).toHaveLength(1)
  })

  it('computes an item shared by two concurrent requests once', async () => {
    const { batch, model, stats } = setup()
    const gate = deferred()
    model.gate = gate.promise
    const first = batch.resolve(model, [
      { a: 1, b: 0 },
      { a: 2, b: 0 },
    ])
    await vi.waitFor(() => expect(model.calls).toHaveLength(1))
    const second = batch.resolve(model, [
      { a: 2, b: 0 },
      { a: 3, b: 0 },
    ])
    // {a: 2} joins the running call; {a: 3} waits for the model (one batch at a time).
    await vi.waitFor(() => expect(batch.inflight).toBe(3))
    gate.release()
    const [r1, r2] = await Promise.all([first, second])
    // The second request's model call holds only the item nobody was computing.
    expect(model.calls).toEqual([
      [
        { a: 1, b: 0 },
        { a: 2, b: 0 },
      ],
      [{ a: 3, b: 0 }],
    ])
    expect(r1.items.map((i) => i.value)).toEqual([100, 200])
    expect(r2.items.map((i) => i.value)).toEqual([200, 300])
    expect(r2).toMatchObject({ joined: 1, stored: 1 })
    expect(stats.snapshot().models.fake).toMatchObject({ itemsComputed: 3, coalesced: 1, misses: 4 })
    expect(batch.inflight).toBe(0)
  })

  it('batches the misses of concurrent requests into one model call, each item stored on its own', async () => {
    const { batch, model, cache } = setup()
    const rows = Array.from({ length: 16 }, (_, i) => ({ a: i, b: 1 }))
    const results = await Promise.all(rows.map((row) => batch.resolve(model, [row])))
    expect(model.calls.length).toBeLessThanOrEqual(4)
    expect(model.calls.flat()).toHaveLength(16)
    expect(results.map((r) => r.items[0]!.value)).toEqual(rows.map((r) => r.a * 100 + r.b))
    for (const row of rows)
      expect(await cache.get(itemKey(model, row))).toMatchObject({ value: row.a * 100 + 1 })
  })

  it('splits a queue longer than maxBatchSize', async () => {
    const cache = createCache({ namespace: 'test' })
    const batching = { maxBatchSize: 4, maxQueueDelayMs: 1, maxConcurrentBatches: 1 }
    const batch = new BatchCache(cache, new UsageStats(), '1h', { batching: () => batching })
    const model = new FakeModel()
    await batch.resolve(
      model,
      Array.from({ length: 10 }, (_, i) => ({ a: i, b: 0 })),
    )
    expect(model.calls.map((c) => c.length)).toEqual([4, 4, 2])
  })

  it('stores nothing when the model fails, and the next request computes again', async () => {
    const { batch, model, cache } = setup()
    model.fail = new Error('model down')
    await expect(batch.resolve(model, [{ a: 1, b: 1 }])).rejects.toThrow('model down')
    expect(await cache.get(itemKey(model, { a: 1, b: 1 }))).toBeUndefined()
    expect(batch.inflight).toBe(0)
    model.fail = undefined
    const result = await batch.resolve(model, [{ a: 1, b: 1 }])
    expect(result).toMatchObject({ hits: 0, misses: 1 })
    expect(model.calls).toHaveLength(2)
  })

  it('does not store an answer computed across an invalidation of its model', async () => {
    const { batch, model, cache } = setup()
    const gate = deferred()
    model.gate = gate.promise
    const pending = batch.resolve(model, [{ a: 7, b: 7 }])
    await vi.waitFor(() => expect(model.calls).toHaveLength(1))
    await cache.invalidateTags([modelTag(model.id)])
    gate.release()
    // The request that started before the invalidation still gets its answer...
    expect((await pending).items[0]!.value).toBe(707)
    // ...but it was not stored.
    expect(await cache.get(itemKey(model, { a: 7, b: 7 }))).toBeUndefined()
  })

  it('counts hits, misses, items computed and the time the hits saved', async () => {
    const { batch, model, stats } = setup()
    await batch.resolve(model, [
      { a: 1, b: 1 },
      { a: 2, b: 2 },
    ])
    await batch.resolve(model, [
      { a: 1, b: 1 },
      { a: 2, b: 2 },
      { a: 3, b: 3 },
    ])
    const s = stats.snapshot()
    expect(s).toMatchObject({ requests: 2, items: 5, hits: 2, misses: 3, itemsComputed: 3, modelCalls: 2 })
    expect(s.hitRatio).toBeCloseTo(0.4)
    expect(s.tokensSaved).toBe(2)
    expect(s.computeSecondsSaved).toBeGreaterThan(0)
  })
})
