import { describe, expect, it } from 'vitest'
import { ModelBatcher } from './model-batcher.js'

function recorder(options: { maxBatchSize: number; maxQueueDelayMs: number; maxConcurrentBatches: number }) {
  const calls: number[][] = []
  let release: (() => void) | undefined
  const batcher = new ModelBatcher<number, number>(options, async (inputs) => {
    calls.push(inputs)
    if (calls.length === 1) await new Promise<void>((r) => (release = r))
    return inputs.map((i) => i * 10)
  })
  return { calls, batcher, release: () => release?.() }
}

describe('ModelBatcher', () => {
  it('starts an idle model without waiting the queue delay, and batches what arrives meanwhile', async () => {
    const { calls, batcher, release } = recorder({
      maxBatchSize: 8,
      maxQueueDelayMs: 60_000,
      maxConcurrentBatches: 1,
    })
    const first = [batcher.submit(1), batcher.submit(2)]
    await expect.poll(() => calls.length).toBe(1)
    const later = [3, 4, 5].map((i) => batcher.submit(i))
    expect(batcher.pending).toBe(5)
    release()
    expect(await Promise.all([...first, ...later])).toEqual([10, 20, 30, 40, 50])
    expect(calls).toEqual([
      [1, 2],
      [3, 4, 5],
    ])
    expect(batcher.pending).toBe(0)
  })

  it('rejects every input of a failed batch, and goes on with the next', async () => {
    let fail = true
    const batcher = new ModelBatcher<number, number>(
      { maxBatchSize: 4, maxQueueDelayMs: 1, maxConcurrentBatches: 1 },
      async (inputs) => {
        if (fail) throw new Error('model down')
        return inputs
      },
    )
    const failed = [batcher.submit(1), batcher.submit(2)].map((p) => p.catch((e: Error) => e.message))
    expect(await Promise.all(failed)).toEqual(['model down', 'model down'])
    fail = false
    expect(await batcher.submit(3)).toBe(3)
  })

  it('retries one by one a batch that failed because of one input, so only that input fails', async () => {
    const calls: string[][] = []
    const batcher = new ModelBatcher<string, string>(
      { maxBatchSize: 8, maxQueueDelayMs: 1, maxConcurrentBatches: 1 },
      async (inputs) => {
        calls.push(inputs)
        if (inputs.includes('bad')) throw Object.assign(new Error('input too long'), { statusCode: 400 })
        return inputs.map((i) => i.toUpperCase())
      },
      (error) => (error as { statusCode?: number }).statusCode === 400,
    )
    const answers = await Promise.all(
      ['a', 'bad', 'b'].map((i) => batcher.submit(i).catch((e: Error) => `failed: ${e.message}`)),
    )
    expect(answers).toEqual(['A', 'failed: input too long', 'B'])
    expect(calls).toEqual([['a', 'bad', 'b'], ['a'], ['bad'], ['b']])
  })
})
