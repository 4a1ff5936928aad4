import { createCache } from '@cache/core'
import { createCache as createDedupe } from 'async-cache-dedupe'
import { BentoCache, bentostore } from 'bentocache'
import { memoryDriver } from 'bentocache/drivers/memory'
import { createCache as createCacheManager } from 'cache-manager'
import { Cacheable } from 'cacheable'
import { LRUCache } from 'lru-cache'
import { fmtNs, measure, printTable, type Variant } from './measure.js'

const KEYS = Array.from({ length: 1000 }, (_, i) => `user:${i}`)

/** A ~1 KB JSON-like object, as a typical cached API record. */
function record(i: number) {
  return {
    id: i,
    name: `user ${i}`,
    email: `user${i}@example.com`,
    roles: ['reader', 'writer'],
    profile: { bio: 'x'.repeat(700), city: 'Lisbon', score: 0.5 + i / 1e4 },
    createdAt: '2026-01-01T00:00:00.000Z',
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** Runs the core benchmark (memory tier vs lru-cache and peers) and prints its tables. */
export async function coreBench({ rounds = 15 } = {}) {
  const values = KEYS.map((_, i) => record(i))
  const load = async (k: string) => values[Number(k.slice(5))]!

  const map = new Map(KEYS.map((k, i) => [k, values[i]]))
  const mapGet = async (k: string) => map.get(k)
  const lru = new LRUCache<string, object>({ max: 10_000, ttl: 600_000, fetchMethod: load })
  const ours = createCache({ ttl: '10m', memory: { maxEntries: 10_000 } })
  const cacheable = new Cacheable({ ttl: '10m' })
  const cm = createCacheManager({ ttl: 600_000 })
  const bento = new BentoCache({
    default: 'memory',
    stores: { memory: bentostore().useL1Layer(memoryDriver({ maxItems: 10_000 })) },
  })
  const dedupe = createDedupe({ ttl: 600, storage: { type: 'memory' } }).define('fetch', (k: string) =>
    load(k),
  )
  for (const [i, k] of KEYS.entries()) {
    lru.set(k, values[i]!)
    await ours.set(k, values[i]!)
    await cacheable.set(k, values[i]!)
    await cm.set(k, values[i]!)
    await bento.set({ key: k, value: values[i]!, ttl: '10m' })
    await dedupe.fetch(k)
  }

  let sink: unknown
  const loop =
    (fn: (k: string) => unknown): Variant['run'] =>
    async (n) => {
      for (let i = 0; i < n; i++) sink = await fn(KEYS[i % 1000]!)
    }

  const getVariants: Variant[] = [
    { name: 'Map + await (reference floor)', run: loop(mapGet) },
    {
      name: 'lru-cache get (sync, physical limit)',
      run: (n) => {
        for (let i = 0; i < n; i++) sink = lru.get(KEYS[i % 1000]!)
      },
    },
    { name: 'lru-cache fetch() hit', run: loop((k) => lru.fetch(k)) },
    { name: '@cache/core get', run: loop((k) => ours.get(k)) },
    { name: '@cache/core getOrSet hit', run: loop((k) => ours.getOrSet(k, () => load(k))) },
    { name: 'cacheable get', run: loop((k) => cacheable.get(k)) },
    { name: 'cache-manager v7 get', run: loop((k) => cm.get(k)) },
    { name: 'cache-manager v7 wrap hit', run: loop((k) => cm.wrap(k, () => load(k))) },
    { name: 'bentocache get', run: loop((k) => bento.get({ key: k })) },
    { name: 'bentocache getOrSet hit', run: loop((k) => bento.getOrSet({ key: k, factory: () => load(k) })) },
    { name: 'async-cache-dedupe fetch hit', run: loop((k) => dedupe.fetch(k)) },
  ]
  const setVariants: Variant[] = [
    {
      name: 'lru-cache set',
      run: (n) => {
        for (let i = 0; i < n; i++) lru.set(KEYS[i % 1000]!, values[i % 1000]!)
      },
    },
    {
      name: '@cache/core set',
      run: async (n) => {
        for (let i = 0; i < n; i++) await ours.set(KEYS[i % 1000]!, values[i % 1000]!)
      },
    },
    {
      name: 'cacheable set',
      run: async (n) => {
        for (let i = 0; i < n; i++) await cacheable.set(KEYS[i % 1000]!, values[i % 1000]!)
      },
    },
    {
      name: 'cache-manager v7 set',
      run: async (n) => {
        for (let i = 0; i < n; i++) await cm.set(KEYS[i % 1000]!, values[i % 1000]!)
      },
    },
    {
      name: 'bentocache set',
      run: async (n) => {
        for (let i = 0; i < n; i++) await bento.set({ key: KEYS[i % 1000]!, value: values[i % 1000]! })
      },
    },
  ]

  const gets = await measure(getVariants, { rounds })
  const sets = await measure(setVariants, { rounds, opsPerRound: 5000, warmupOps: 5000 })
  void sink

  const ns = (name: string) => gets.get(name)!.nsPerOp
  const floor = ns('Map + await (reference floor)')
  const fetchHit = ns('lru-cache fetch() hit')
  console.log(
    `\n### Core: memory-tier hit path (median of ${rounds} interleaved rounds, 1 KB object values)\n`,
  )
  printTable(
    ['operation', 'ns/op', 'ops/s', 'vs Map+await', 'vs lru-cache fetch()'],
    [...gets].map(([name, r]) => [
      name,
      fmtNs(r.nsPerOp),
      Math.round(1e9 / r.nsPerOp).toLocaleString('en-US'),
      `${(floor / r.nsPerOp).toFixed(2)}×`,
      `${(fetchHit / r.nsPerOp).toFixed(2)}×`,
    ]),
  )
  console.log(`\n### Core: set (median of ${rounds} rounds)\n`)
  printTable(
    ['operation', 'ns/op', 'ops/s'],
    [...sets].map(([name, r]) => [
      name,
      fmtNs(r.nsPerOp),
      Math.round(1e9 / r.nsPerOp).toLocaleString('en-US'),
    ]),
  )

  // Stampede: 500 concurrent callers of one cold key, 50 ms loader.
  const stampede: [string, (key: string, loader: () => Promise<number>) => Promise<unknown>][] = [
    ['@cache/core getOrSet', (k, l) => ours.getOrSet(k, l)],
    ['lru-cache fetch()', (k, l) => new LRUCache<string, number>({ max: 10, fetchMethod: l }).fetch(k)],
    ['cache-manager v7 wrap', (k, l) => cm.wrap(k, l)],
    ['cacheable getOrSet', (k, l) => cacheable.getOrSet(k, l)],
    ['bentocache getOrSet', (k, l) => bento.getOrSet({ key: k, factory: l })],
  ]
  const rows: (string | number)[][] = []
  for (const [name, call] of stampede) {
    let calls = 0
    const loader = async () => {
      calls++
      await sleep(50)
      return 42
    }
    const key = `cold:${name}`
    const started = performance.now()
    // lru-cache dedupes per instance: one shared instance for its 500 callers.
    const shared = name.startsWith('lru-cache')
      ? new LRUCache<string, number>({ max: 10, fetchMethod: loader })
      : undefined
    await Promise.all(Array.from({ length: 500 }, () => (shared ? shared.fetch(key) : call(key, loader))))
    rows.push([name, calls, `${(performance.now() - started).toFixed(0)} ms`])
  }
  console.log('\n### Core: stampede, 500 concurrent getOrSet on one cold key, 50 ms loader\n')
  printTable(['library', 'loader calls', 'wall time'], rows)

  const getRatio = floor / ns('@cache/core get')
  const gosRatio = fetchHit / ns('@cache/core getOrSet hit')
  const peers = [
    'cacheable get',
    'cache-manager v7 get',
    'cache-manager v7 wrap hit',
    'bentocache get',
    'bentocache getOrSet hit',
    'async-cache-dedupe fetch hit',
  ]
  const fastestPeer = Math.min(...peers.map(ns))
  const ourWorst = Math.max(ns('@cache/core get'), ns('@cache/core getOrSet hit'))
  const oursCalls = rows[0]![1]
  console.log('\n### Core targets\n')
  printTable(
    ['target', 'measured', 'met'],
    [
      ['get hit ≥ 0.5× awaited Map lookup', `${getRatio.toFixed(2)}×`, getRatio >= 0.5 ? 'yes' : 'NO'],
      ['getOrSet hit ≥ 0.5× lru-cache fetch()', `${gosRatio.toFixed(2)}×`, gosRatio >= 0.5 ? 'yes' : 'NO'],
      [
        'get and getOrSet faster than every peer',
        `slowest of ours ${fmtNs(ourWorst)} vs fastest peer ${fmtNs(fastestPeer)}`,
        ourWorst < fastestPeer ? 'yes' : 'NO',
      ],
      ['stampede: exactly 1 loader call', String(oursCalls), oursCalls === 1 ? 'yes' : 'NO'],
    ],
  )
  await ours.close()
  await bento.disconnect()
}
