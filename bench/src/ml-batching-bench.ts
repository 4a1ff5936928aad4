import { buildApp, type LocalModels, type StatsSnapshot } from '@cache/ml-api'
import { median, printTable } from './measure.js'

/** Each item its own model call, calls overlapping as they come: what the API did before batching. */
const UNBATCHED = { maxBatchSize: 1, maxQueueDelayMs: 0, maxConcurrentBatches: 64 }

const sentence = (round: number, i: number) =>
  `Batch round ${round}, request ${i}: will the parcel reach town ${(round * 16 + i) % 97} by Friday?`

/**
 * Dynamic batching of USE-lite: rounds of 16 concurrent single-sentence requests of distinct
 * texts (all misses), with the default batcher and without batching; and the p50 of a lone
 * request at concurrency 1 both ways (what the queue delay costs when nobody else is there).
 */
export async function mlBatchingBench(models: LocalModels, { rounds = 20, lone = 100 } = {}) {
  const rows: (string | number)[][] = []
  const measured: Record<string, { callsPerRound: number; itemsPerSecond: number; loneP50: number }> = {}
  // Unbatched first: a second app in a process runs warmer, which favours what is measured last.
  for (const [name, batching] of [
    ['no batching', UNBATCHED],
    ['dynamic batching (default: 2 ms)', undefined],
  ] as const) {
    const app = await buildApp({
      models,
      config: batching === undefined ? {} : { modelBatching: { 'use-lite': batching } },
    })
    await app.ready()
    const post = async (input: string) => {
      const res = await app.inject({ method: 'POST', url: '/v1/embeddings', payload: { input } })
      if (res.statusCode !== 200 || res.headers['x-cache'] !== 'MISS')
        throw new Error(`${res.statusCode} ${res.body}`)
    }
    await post('warm-up sentence')
    const stats = async () =>
      (await app.inject({ method: 'GET', url: '/cache/stats' })).json<StatsSnapshot>().models['use-lite']!
    const before = await stats()
    const started = performance.now()
    for (let r = 0; r < rounds; r++) {
      await Promise.all(Array.from({ length: 16 }, (_, i) => post(sentence(r, i))))
    }
    const seconds = (performance.now() - started) / 1000
    const after = await stats()
    const latencies: number[] = []
    for (let i = 0; i < lone; i++) {
      const t = process.hrtime.bigint()
      await post(`A lone request, number ${i}, with nobody else in the queue.`)
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
    const callsPerRound = (after.modelCalls - before.modelCalls) / rounds
    const itemsPerSecond = (after.itemsComputed - before.itemsComputed) / seconds
    measured[name] = { callsPerRound, itemsPerSecond, loneP50: median(latencies) }
    rows.push([
      name,
      callsPerRound.toFixed(1),
      Math.round(itemsPerSecond),
      `${median(latencies).toFixed(2)} ms`,
    ])
    await app.close()
  }
  console.log('\n### ML API: dynamic batching, USE-lite, 16 concurrent single-sentence requests (misses)\n')
  printTable(
    ['batcher', 'model calls per 16 requests', 'miss throughput (items/s)', 'lone request p50'],
    rows,
  )
  const on = measured['dynamic batching (default: 2 ms)']!
  const off = measured['no batching']!
  return [
    [
      'use-lite: 16 concurrent misses take ≤ 4 model calls',
      on.callsPerRound.toFixed(1),
      on.callsPerRound <= 4 ? 'yes' : 'NO',
    ],
    [
      'use-lite: batched miss throughput ≥ 2× unbatched',
      `${(on.itemsPerSecond / off.itemsPerSecond).toFixed(1)}×`,
      on.itemsPerSecond >= 2 * off.itemsPerSecond ? 'yes' : 'NO',
    ],
    [
      'use-lite: lone p50 rises ≤ maxQueueDelay + 1 ms (3 ms)',
      `${(on.loneP50 - off.loneP50).toFixed(2)} ms`,
      on.loneP50 - off.loneP50 <= 3 ? 'yes' : 'NO',
    ],
  ]
}
