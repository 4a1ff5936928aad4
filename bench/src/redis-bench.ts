import { execFileSync } from 'node:child_process'
import { createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'
import { commandCalls, startPrivateRedis } from '@cache/test-utils/redis'
import { Redis } from 'ioredis'
import { instantStore } from './instant-store.js'
import { median, printTable } from './measure.js'

const VALUE = { id: 1, text: 'x'.repeat(900), tags: ['a', 'b'], score: 0.5 }

// Bursts of 1,000 gets per measurement, and getMany calls per measurement: long enough (tens of
// ms) that a GC pause or a scheduler hiccup is a small part of one sample (5 bursts moved the
// raw MGET row by ±30% between runs).
const BURSTS = 20
const MANY_CALLS = 500

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!
}

/** Redis part: our L2 (L1 off) against raw ioredis on the same private server, in one run. */
export async function redisBench({ rounds = 7 } = {}) {
  const server = await startPrivateRedis()
  try {
    const raw = new Redis(server.url)
    const rawAuto = new Redis(server.url, { enableAutoPipelining: true })
    const store = new RedisStore({ url: server.url })
    await store.ready()
    const ours = createCache({ namespace: 'bench', store, memory: false, ttl: '1h', lease: false })
    const keys = Array.from({ length: 1000 }, (_, i) => `k${i}`)
    await ours.setMany(keys.map((key) => ({ key, value: VALUE })))
    // Raw clients read the very same bytes our store wrote.
    const rawKeys = keys.map((k) => store.redisKey(`bench:${k}`))

    const seq: Record<string, number[]> = { raw: [], ours: [] }
    const conc: Record<string, number[]> = { raw: [], rawAuto: [], ours: [] }
    const hot: Record<string, number[]> = { rawAuto: [], ours: [] }
    const bin: Record<string, number[]> = { rawAuto: [], rawMget: [], ours: [] }
    const binKeys = keys.map((k) => `bin:${k}`)
    await ours.setMany(binKeys.map((key) => ({ key, value: Buffer.alloc(1000, 7) })))
    const rawBinKeys = binKeys.map((k) => store.redisKey(`bench:${k}`))
    // Same, with 1 KB Buffer values: isolates our path from the cost of decoding an object.
    // What our L2 sends for 1,000 concurrent gets: MGETs of at most 128 keys (MAX_READ_BATCH in
    // the remote tier), all in flight at once. Raw `mgetBuffer` of the same batches is its limit.
    const mgetBatches: string[][] = []
    for (let i = 0; i < rawBinKeys.length; i += 128) mgetBatches.push(rawBinKeys.slice(i, i + 128))
    // Our cache (L1 off) over a store that answers at once with the entries stored under `names`.
    const instantCache = async (names: string[]) => {
      const storeKeys = names.map((k) => `bench:${k}`)
      const stored = await store.getMany(storeKeys)
      return createCache({
        namespace: 'bench',
        store: instantStore(new Map(storeKeys.map((k, i) => [k, stored[i]!]))),
        memory: false,
        bus: false,
        lease: false,
      })
    }
    // The same reads from a store that answers at once: the cache's own CPU per L2 read.
    const instant = await instantCache(binKeys)
    // And for getMany of the object values: our cache alone against JSON.parse alone, in process.
    const instantValues = await instantCache(keys)
    const jsonTexts = keys.map(() => Buffer.from(JSON.stringify(VALUE)))
    const manyAlone: Record<string, number[]> = { parse: [], ours: [] }
    const manyAloneRun = async (name: 'parse' | 'ours') => {
      const t = process.hrtime.bigint()
      for (let i = 0; i < MANY_CALLS; i++) {
        const slice = (i * 100) % 900
        if (name === 'ours') await instantValues.getMany(keys.slice(slice, slice + 100))
        else for (let j = slice; j < slice + 100; j++) JSON.parse(jsonTexts[j]!.toString())
      }
      return Number(process.hrtime.bigint() - t) / 1000 / MANY_CALLS
    }
    const instantRun = async () => {
      const t = process.hrtime.bigint()
      for (let batch = 0; batch < BURSTS; batch++) await Promise.all(binKeys.map((k) => instant.get(k)))
      return Number(process.hrtime.bigint() - t) / 1000 / (BURSTS * 1000)
    }
    const cacheCpu: number[] = []
    const binRun = async (name: 'rawAuto' | 'rawMget' | 'ours') => {
      const t = process.hrtime.bigint()
      for (let batch = 0; batch < BURSTS; batch++) {
        if (name === 'rawMget') await Promise.all(mgetBatches.map((b) => raw.mgetBuffer(...b)))
        else
          await Promise.all(
            binKeys.map((k, i) => (name === 'ours' ? ours.get(k) : rawAuto.getBuffer(rawBinKeys[i]!))),
          )
      }
      return (BURSTS * 1000) / (Number(process.hrtime.bigint() - t) / 1e9)
    }
    const many: Record<string, number[]> = { raw: [], rawParse: [], ours: [] }
    const seqRun = async (name: 'raw' | 'ours', n: number) => {
      const lat: number[] = []
      for (let i = 0; i < n; i++) {
        const t = process.hrtime.bigint()
        if (name === 'raw') await raw.getBuffer(rawKeys[i % 1000]!)
        else await ours.get(keys[i % 1000]!)
        lat.push(Number(process.hrtime.bigint() - t) / 1000)
      }
      lat.sort((a, b) => a - b)
      return pct(lat, 0.5)
    }
    const concRun = async (name: 'raw' | 'rawAuto' | 'ours') => {
      const t = process.hrtime.bigint()
      for (let batch = 0; batch < BURSTS; batch++) {
        await Promise.all(
          keys.map((k, i) =>
            name === 'ours' ? ours.get(k) : (name === 'raw' ? raw : rawAuto).getBuffer(rawKeys[i]!),
          ),
        )
      }
      return (BURSTS * 1000) / (Number(process.hrtime.bigint() - t) / 1e9)
    }
    // 1,000 concurrent gets of ONE hot key: ours share one Redis read (and one decode).
    const hotRun = async (name: 'rawAuto' | 'ours') => {
      const t = process.hrtime.bigint()
      for (let batch = 0; batch < BURSTS; batch++) {
        await Promise.all(
          keys.map(() => (name === 'ours' ? ours.get(keys[7]!) : rawAuto.getBuffer(rawKeys[7]!))),
        )
      }
      return (BURSTS * 1000) / (Number(process.hrtime.bigint() - t) / 1e9)
    }
    // The same values as bare JSON text, for the least a getMany that returns objects does: a raw
    // MGET plus one JSON.parse per value.
    const jsonKeys = keys.map((k) => `bench-json:${k}`)
    await raw.mset(...jsonKeys.flatMap((k) => [k, JSON.stringify(VALUE)]))
    const manyRun = async (name: 'raw' | 'rawParse' | 'ours') => {
      const t = process.hrtime.bigint()
      for (let i = 0; i < MANY_CALLS; i++) {
        const slice = (i * 100) % 900
        if (name === 'raw') await raw.mgetBuffer(...rawKeys.slice(slice, slice + 100))
        else if (name === 'rawParse') {
          const values = await raw.mgetBuffer(...jsonKeys.slice(slice, slice + 100))
          for (const value of values) if (value !== null) JSON.parse(value.toString())
        } else await ours.getMany(keys.slice(slice, slice + 100))
      }
      return Number(process.hrtime.bigint() - t) / 1000 / MANY_CALLS
    }
    await seqRun('raw', 2000)
    await seqRun('ours', 2000)
    await concRun('ours')
    await concRun('rawAuto')
    for (let r = 0; r < rounds; r++) {
      for (const name of r % 2 ? (['raw', 'ours'] as const) : (['ours', 'raw'] as const))
        seq[name]!.push(await seqRun(name, 3000))
      for (const name of r % 2
        ? (['raw', 'rawAuto', 'ours'] as const)
        : (['ours', 'rawAuto', 'raw'] as const)) {
        conc[name]!.push(await concRun(name))
      }
      for (const name of r % 2
        ? (['raw', 'rawParse', 'ours'] as const)
        : (['ours', 'rawParse', 'raw'] as const))
        many[name]!.push(await manyRun(name))
      for (const name of r % 2 ? (['rawAuto', 'ours'] as const) : (['ours', 'rawAuto'] as const))
        hot[name]!.push(await hotRun(name))
      for (const name of r % 2
        ? (['rawAuto', 'rawMget', 'ours'] as const)
        : (['ours', 'rawMget', 'rawAuto'] as const))
        bin[name]!.push(await binRun(name))
      cacheCpu.push(await instantRun())
      for (const name of r % 2 ? (['parse', 'ours'] as const) : (['ours', 'parse'] as const))
        manyAlone[name]!.push(await manyAloneRun(name))
    }
    const admin = server.client()
    await admin.config('RESETSTAT')
    await ours.getMany(keys.slice(0, 100))
    const mgets = (await commandCalls(admin))('mget')

    const m = (xs: number[]) => median(xs)
    // Ratios are the median of same-round ratios: on a shared machine a slow stretch hits both
    // sides of one round, where a ratio of medians would take them from different stretches.
    const ratio = (ours: number[], base: number[]) => median(ours.map((x, i) => x / base[i]!))
    console.log(
      `\n### Redis L2 (L1 off), same private redis-server, median of ${rounds} interleaved rounds (ratios: median of same-round ratios), ~1 KB values\n`,
    )
    printTable(
      ['measure', 'raw ioredis', 'raw ioredis + auto-pipelining', '@cache/core L2', 'ratio'],
      [
        [
          'sequential get p50',
          `${m(seq.raw!).toFixed(1)} µs`,
          '—',
          `${m(seq.ours!).toFixed(1)} µs`,
          `${ratio(seq.ours!, seq.raw!).toFixed(2)}× raw latency`,
        ],
        [
          '1,000 concurrent gets',
          `${Math.round(m(conc.raw!)).toLocaleString('en-US')}/s`,
          `${Math.round(m(conc.rawAuto!)).toLocaleString('en-US')}/s`,
          `${Math.round(m(conc.ours!)).toLocaleString('en-US')}/s`,
          `${ratio(conc.ours!, conc.rawAuto!).toFixed(2)}× auto-pipelined throughput`,
        ],
        [
          '1,000 concurrent gets, 1 KB Buffer values',
          '—',
          `${Math.round(m(bin.rawAuto!)).toLocaleString('en-US')}/s`,
          `${Math.round(m(bin.ours!)).toLocaleString('en-US')}/s`,
          `${ratio(bin.ours!, bin.rawAuto!).toFixed(2)}× auto-pipelined throughput`,
        ],
        [
          '1,000 concurrent gets, 1 KB Buffer values, vs raw mgetBuffer (8 batches of ≤ 128 keys)',
          `${Math.round(m(bin.rawMget!)).toLocaleString('en-US')}/s (mgetBuffer)`,
          '—',
          `${Math.round(m(bin.ours!)).toLocaleString('en-US')}/s`,
          `${ratio(bin.ours!, bin.rawMget!).toFixed(2)}× raw mgetBuffer throughput`,
        ],
        [
          'the same, per key: raw mgetBuffer end to end, and our cache alone (a store answering at once)',
          `${(1e6 / m(bin.rawMget!)).toFixed(2)} µs`,
          '—',
          `${m(cacheCpu).toFixed(2)} µs`,
          'the cache work an L2 read adds over the wire',
        ],
        [
          '1,000 concurrent gets of one hot key',
          '—',
          `${Math.round(m(hot.rawAuto!)).toLocaleString('en-US')}/s`,
          `${Math.round(m(hot.ours!)).toLocaleString('en-US')}/s`,
          `${ratio(hot.ours!, hot.rawAuto!).toFixed(2)}× auto-pipelined throughput`,
        ],
        [
          'getMany of 100 keys',
          `${m(many.raw!).toFixed(0)} µs (MGET)`,
          '—',
          `${m(many.ours!).toFixed(0)} µs`,
          `${mgets} MGET round trip(s)`,
        ],
        [
          'getMany of 100 keys: raw MGET of the same values as JSON text, then JSON.parse of each',
          `${m(many.rawParse!).toFixed(0)} µs (MGET + parse)`,
          '—',
          `${m(many.ours!).toFixed(0)} µs`,
          `${ratio(many.rawParse!, many.raw!).toFixed(2)}× raw MGET for the parse alone; ours ${ratio(many.ours!, many.rawParse!).toFixed(2)}× it`,
        ],
        [
          'the same in process: 100 JSON.parse of the JSON text, and our getMany from a store answering at once',
          `${m(manyAlone.parse!).toFixed(0)} µs (parse)`,
          '—',
          `${m(manyAlone.ours!).toFixed(0)} µs`,
          `the cache work beyond parsing: ${((m(manyAlone.ours!) - m(manyAlone.parse!)) / 100).toFixed(2)} µs per key`,
        ],
      ],
    )
    let limit = 'redis-benchmark not found'
    try {
      const out = execFileSync(
        'redis-benchmark',
        ['-h', '127.0.0.1', '-p', String(server.port), '-t', 'get', '-d', '1024', '-n', '100000', '-q'],
        { encoding: 'utf8' },
      )
      limit = out.trim().split('\r').pop()!.trim()
    } catch (error) {
      limit = `redis-benchmark failed: ${(error as Error).message}`
    }
    console.log(
      `\nPhysical limit, same server: \`redis-benchmark -t get -d 1024 -n 100000\` (50 clients): ${limit}`,
    )
    const seqRatio = ratio(seq.ours!, seq.raw!)
    const thrRatio = ratio(conc.ours!, conc.rawAuto!)
    const mgetRatio = ratio(bin.ours!, bin.rawMget!)
    const manyRatio = ratio(many.ours!, many.raw!)
    console.log('\n### Redis targets\n')
    printTable(
      ['target', 'measured', 'met'],
      [
        [
          'L2 get throughput ≥ 0.7× raw ioredis with auto-pipelining (1,000 distinct keys)',
          `${thrRatio.toFixed(2)}×`,
          thrRatio >= 0.7 ? 'yes' : 'NO',
        ],
        [
          'L2 get throughput ≥ 0.7× raw ioredis with auto-pipelining (1 KB Buffers)',
          `${ratio(bin.ours!, bin.rawAuto!).toFixed(2)}×`,
          ratio(bin.ours!, bin.rawAuto!) >= 0.7 ? 'yes' : 'NO',
        ],
        [
          'L2 get throughput ≥ 0.7× raw ioredis with auto-pipelining (one hot key)',
          `${ratio(hot.ours!, hot.rawAuto!).toFixed(2)}×`,
          ratio(hot.ours!, hot.rawAuto!) >= 0.7 ? 'yes' : 'NO',
        ],
        [
          'sequential L2 get p50 within 1.3× of raw ioredis',
          `${seqRatio.toFixed(2)}×`,
          seqRatio <= 1.3 ? 'yes' : 'NO',
        ],
        [
          'L2 get of 1,000 concurrent distinct keys ≥ 0.7× raw mgetBuffer (same batches, 1 KB Buffers)',
          `${mgetRatio.toFixed(2)}×`,
          mgetRatio >= 0.7 ? 'yes' : 'NO',
        ],
        ['getMany of 100 keys in one round trip', `${mgets} MGET`, mgets === 1 ? 'yes' : 'NO'],
        ['getMany of 100 keys ≤ 1.5× raw MGET', `${manyRatio.toFixed(2)}×`, manyRatio <= 1.5 ? 'yes' : 'NO'],
      ],
    )
    raw.disconnect()
    rawAuto.disconnect()
    await ours.close()
    await instant.close()
    await instantValues.close()
  } finally {
    await server.stop()
  }
}
