import { buildApp, type LocalModels, loadModels, type StatsSnapshot } from '@cache/ml-api'
import { median, printTable } from './measure.js'
import { mlBatchingBench } from './ml-batching-bench.js'

type Body = Record<string, unknown>
interface ModelCase {
  name: string
  url: string
  input: (i: number) => Body
}

const CASES: ModelCase[] = [
  {
    name: 'use-lite embeddings (1 sentence)',
    url: '/v1/embeddings',
    input: (i) => ({
      input: `Request number ${i}: how long will my parcel take to arrive in town ${i % 97}?`,
    }),
  },
  {
    name: 'flight-delay k-NN (1 row)',
    url: '/v1/predict/flight-delay',
    input: (i) => ({ inputs: [{ distance: 100 + (i % 9000), hour: Math.floor(i / 9000) % 24 }] }),
  },
]

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

/** Zipf(s) sampler over ranks 0..n-1. */
function zipf(n: number, s: number, random: () => number): () => number {
  const weights = Array.from({ length: n }, (_, i) => 1 / (i + 1) ** s)
  const total = weights.reduce((a, b) => a + b, 0)
  const cdf: number[] = []
  let acc = 0
  for (const w of weights) cdf.push((acc += w / total))
  return () => {
    const u = random()
    let lo = 0
    let hi = n - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid]! < u) lo = mid + 1
      else hi = mid
    }
    return lo
  }
}

function seeded(seed: number): () => number {
  let x = seed >>> 0
  return () => {
    x = (x * 1664525 + 1013904223) >>> 0
    return x / 2 ** 32
  }
}

/** ML part: per model, cached vs computed latency/throughput, and a Zipf replay. */
export async function mlBench({ requests = 200, replay = 10_000, distinct = 1000 } = {}) {
  const flightsRows = Number(process.env.FLIGHTS_ROWS ?? 50_000)
  const models: LocalModels = await loadModels({ flightsRows, flightsK: 15 })
  const rows: (string | number)[][] = []
  const replays: (string | number)[][] = []
  const targets: (string | number)[][] = []
  for (const c of CASES) {
    const app = await buildApp({ models, config: { flightsRows } })
    await app.ready()
    const call = async (body: Body) => {
      const t = process.hrtime.bigint()
      const res = await app.inject({ method: 'POST', url: c.url, payload: body })
      if (res.statusCode !== 200) throw new Error(`${c.url}: ${res.statusCode} ${res.body}`)
      return { ms: Number(process.hrtime.bigint() - t) / 1e6, xCache: res.headers['x-cache'] }
    }
    // computed: every request a new input (a miss); cached: one input repeated (a hit)
    for (let i = 0; i < 10; i++) await call(c.input(1e6 + i))
    const computed: number[] = []
    const started1 = performance.now()
    for (let i = 0; i < requests; i++) computed.push((await call(c.input(2e6 + i))).ms)
    const computedRps = requests / ((performance.now() - started1) / 1000)
    await call(c.input(7))
    const cached: number[] = []
    const started2 = performance.now()
    for (let i = 0; i < requests * 5; i++) {
      const r = await call(c.input(7))
      if (r.xCache !== 'HIT') throw new Error(`expected HIT, got ${r.xCache}`)
      cached.push(r.ms)
    }
    const cachedRps = (requests * 5) / ((performance.now() - started2) / 1000)
    computed.sort((a, b) => a - b)
    cached.sort((a, b) => a - b)
    const speedup = pct(computed, 0.5) / pct(cached, 0.5)
    rows.push([
      c.name,
      `${pct(computed, 0.5).toFixed(2)} / ${pct(computed, 0.99).toFixed(2)} ms`,
      `${pct(cached, 0.5).toFixed(3)} / ${pct(cached, 0.99).toFixed(3)} ms`,
      `${Math.round(computedRps)} / ${Math.round(cachedRps)}`,
      `${speedup.toFixed(0)}×`,
    ])
    targets.push([
      `${c.name}: cached p50 ≥ 20× faster than computing`,
      `${speedup.toFixed(0)}×`,
      speedup >= 20 ? 'yes' : 'NO',
    ])
    await app.close()

    // Zipf replay on a fresh app: 10k requests over 1k distinct inputs.
    const fresh = await buildApp({ models, config: { flightsRows } })
    await fresh.ready()
    const next = zipf(distinct, 1.1, seeded(42))
    const seen = new Set<number>()
    const t0 = performance.now()
    const lat: number[] = []
    for (let i = 0; i < replay; i++) {
      const rank = next()
      seen.add(rank)
      const t = process.hrtime.bigint()
      const res = await fresh.inject({ method: 'POST', url: c.url, payload: c.input(rank) })
      if (res.statusCode !== 200) throw new Error(res.body)
      lat.push(Number(process.hrtime.bigint() - t) / 1e6)
    }
    const wall = (performance.now() - t0) / 1000
    const stats = (await fresh.inject({ method: 'GET', url: '/cache/stats' })).json() as StatsSnapshot
    replays.push([
      c.name,
      replay,
      seen.size,
      `${(stats.hitRatio * 100).toFixed(1)}%`,
      stats.itemsComputed,
      `${stats.computeSeconds.toFixed(2)} s`,
      `${stats.computeSecondsSaved.toFixed(2)} s`,
      `${wall.toFixed(1)} s`,
      `${median(lat).toFixed(3)} ms`,
    ])
    targets.push([
      `${c.name}: Zipf replay computes each distinct input once`,
      `${stats.itemsComputed} computed for ${seen.size} distinct`,
      stats.itemsComputed === seen.size ? 'yes' : 'NO',
    ])
    await fresh.close()
  }
  console.log(`\n### ML API (in process, app.inject, memory cache, FLIGHTS_ROWS=${flightsRows})\n`)
  printTable(
    [
      'model',
      'computed p50 / p99',
      'cached p50 / p99',
      'req/s computed / cached (sequential)',
      'cached speed-up at p50',
    ],
    rows,
  )
  console.log(
    `\n### ML API: Zipf(1.1) replay, ${replay.toLocaleString('en-US')} requests over ${distinct.toLocaleString('en-US')} distinct inputs\n`,
  )
  printTable(
    [
      'model',
      'requests',
      'distinct seen',
      'hit ratio',
      'items computed',
      'compute time',
      'compute time saved',
      'wall time',
      'p50',
    ],
    replays,
  )
  targets.push(...(await mlBatchingBench(models)))
  console.log('\n### ML targets\n')
  printTable(['target', 'measured', 'met'], targets)
}
