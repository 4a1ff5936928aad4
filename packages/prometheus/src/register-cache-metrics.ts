import diagnostics from 'node:diagnostics_channel'
import type { Cache, CacheStats } from '@cache/core'
import { assertKnownOptions, optionKeys } from '@cache/core/plugin'
import { CACHE_CHANNELS, type CacheTraceContext, instrumentCache } from '@cache/core/trace'
import { Counter, Gauge, register as globalRegistry, Histogram, type Registry } from 'prom-client'

/** Options of {@link registerCacheMetrics}. */
export interface CacheMetricsOptions {
  /** The prom-client registry to register on. @default prom-client's global `register` */
  registry?: Registry
  /** Prefix of every metric name. @default 'cache_' */
  prefix?: string
  /**
   * Also time loader runs (`<prefix>load_duration_seconds`), by instrumenting the cache (see
   * `instrumentCache` of `@cache/core/trace`).
   * @default true
   */
  loadDuration?: boolean
  /** Buckets of the load duration histogram, in seconds. @default [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] */
  buckets?: number[]
}

const METRICS_OPTIONS = optionKeys<CacheMetricsOptions>({
  registry: true,
  prefix: true,
  loadDuration: true,
  buckets: true,
})

/** What {@link registerCacheMetrics} returns. */
export interface CacheMetrics {
  /** The registry the metrics are on: `await registry.metrics()` is the Prometheus text. */
  registry: Registry
  /** Removes this cache from the metrics (the metrics stay registered for other caches). */
  unregister(): void
}

/** One metric family read from `cache.stats()`. */
interface Family {
  name: string
  help: string
  type: 'counter' | 'gauge'
  /** Label names besides `cache`. */
  labels: string[]
  /** Reads the labelled values of one cache's stats. */
  read: (stats: CacheStats) => [Record<string, string>, number][]
}

const BREAKER_STATES = ['closed', 'half-open', 'open'] as const
const TIERS = ['memory', 'remote'] as const

// Several caches can share one registry: each family is registered once and reads every cache.
const sources = new WeakMap<Registry, Map<string, Cache>>()

/**
 * Prometheus metrics of a cache, read from `cache.stats()` at scrape time, labelled by `cache`
 * (the root namespace):
 *
 * - `cache_requests_total{result="hit"|"stale"|"miss"}`: lookups by outcome;
 * - `cache_tier_hits_total`, `cache_tier_misses_total`, `cache_tier_errors_total` `{tier="memory"|"remote"}`;
 * - `cache_errors_total`, `cache_sets_total`, `cache_deletes_total`;
 * - `cache_loads_total`, `cache_load_errors_total`, `cache_load_duration_seconds` (histogram);
 * - `cache_memory_entries`, `cache_memory_bytes`, `cache_hit_ratio`;
 * - `cache_remote_breaker{state="closed"|"half-open"|"open"}`: 1 for the current state.
 *
 * @example
 * const { registry } = registerCacheMetrics(cache)
 * app.get('/metrics', async (_req, res) => res.type(registry.contentType).send(await registry.metrics()))
 */
export function registerCacheMetrics(cache: Cache, options: CacheMetricsOptions = {}): CacheMetrics {
  assertKnownOptions(options, METRICS_OPTIONS, 'registerCacheMetrics options')
  const registry = options.registry ?? globalRegistry
  const prefix = options.prefix ?? 'cache_'
  const name = cache.namespacePath.split('/')[0]!
  let caches = sources.get(registry)
  if (caches === undefined) {
    caches = new Map()
    sources.set(registry, caches)
  }
  const fresh = caches.size === 0 && registry.getSingleMetric(`${prefix}requests_total`) === undefined
  caches.set(name, cache)
  if (fresh) for (const family of families()) register(registry, prefix, family, caches)
  const unsubscribe =
    options.loadDuration === false ? () => {} : timeLoads(cache, registry, prefix, name, options.buckets)
  return {
    registry,
    unregister() {
      caches.delete(name)
      unsubscribe()
    },
  }
}

function families(): (Family & {
  name: string
  help: string
  type: 'counter' | 'gauge'
  labels: string[]
})[] {
  const counter = (name: string, help: string, labels: string[], read: Family['read']) =>
    ({ name, help, type: 'counter', labels, read }) satisfies Family
  const gauge = (name: string, help: string, labels: string[], read: Family['read']) =>
    ({ name, help, type: 'gauge', labels, read }) satisfies Family
  const byTier =
    (pick: (t: { hits: number; misses: number; errors: number }) => number): Family['read'] =>
    (s) =>
      TIERS.flatMap((tier) => {
        const t = s.tiers[tier]
        return t === undefined ? [] : [[{ tier }, pick(t)] as [Record<string, string>, number]]
      })
  return [
    counter(
      'requests_total',
      'Cache lookups by result: fresh hit, stale hit (grace) or miss.',
      ['result'],
      (s) => [
        [{ result: 'hit' }, s.hits],
        [{ result: 'stale' }, s.staleHits],
        [{ result: 'miss' }, s.misses],
      ],
    ),
    counter(
      'tier_hits_total',
      'Lookups a tier answered.',
      ['tier'],
      byTier((t) => t.hits),
    ),
    counter(
      'tier_misses_total',
      'Lookups a tier could not answer.',
      ['tier'],
      byTier((t) => t.misses),
    ),
    counter(
      'tier_errors_total',
      'Faults by tier (timeouts, connection errors, undecodable bytes).',
      ['tier'],
      byTier((t) => t.errors),
    ),
    counter('errors_total', 'Faults counted and emitted rather than thrown.', [], (s) => [[{}, s.errors]]),
    counter('sets_total', 'Values written.', [], (s) => [[{}, s.sets]]),
    counter('deletes_total', 'Entries removed by delete, tags or clears.', [], (s) => [[{}, s.deletes]]),
    counter('loads_total', 'Loader calls (one per single flight).', [], (s) => [[{}, s.loads]]),
    counter('load_errors_total', 'Loader calls that threw.', [], (s) => [[{}, s.loadErrors]]),
    gauge('memory_entries', 'Entries in the in-process tier (L1).', [], (s) => [
      [{}, s.tiers.memory.entries],
    ]),
    gauge('memory_bytes', 'Bytes held by the in-process tier (L1).', [], (s) => [[{}, s.tiers.memory.bytes]]),
    gauge('hit_ratio', '(hits + stale hits) / lookups since start.', [], (s) => [[{}, s.hitRatio]]),
    gauge(
      'remote_breaker',
      'Circuit breaker of the remote tier: 1 for the current state.',
      ['state'],
      (s) => {
        const current = s.tiers.remote?.breaker
        return current === undefined
          ? []
          : BREAKER_STATES.map((state) => [{ state }, state === current ? 1 : 0])
      },
    ),
  ]
}

function register(registry: Registry, prefix: string, family: Family, caches: Map<string, Cache>): void {
  // Counters cannot be set: at each scrape each one is raised by what the stats grew since the
  // last. Remembered per cache instance, so a cache re-created under the same name adds on.
  const seen = new WeakMap<Cache, Map<string, number>>()
  const labelNames = ['cache', ...family.labels]
  const config = { name: `${prefix}${family.name}`, help: family.help, labelNames, registers: [registry] }
  if (family.type === 'gauge') {
    new Gauge({
      ...config,
      collect(this: Gauge<string>) {
        this.reset()
        for (const [name, cache] of caches)
          for (const [labels, v] of family.read(cache.stats())) this.set({ cache: name, ...labels }, v)
      },
    })
    return
  }
  new Counter({
    ...config,
    collect(this: Counter<string>) {
      for (const [name, cache] of caches) {
        let last = seen.get(cache)
        if (last === undefined) seen.set(cache, (last = new Map()))
        for (const [labels, v] of family.read(cache.stats())) {
          const id = JSON.stringify(labels)
          const delta = v - (last.get(id) ?? 0)
          last.set(id, v)
          // inc(0) too, so every series shows from the first scrape.
          if (delta >= 0) this.inc({ cache: name, ...labels }, delta)
        }
      }
    },
  })
}

function timeLoads(
  cache: Cache,
  registry: Registry,
  prefix: string,
  name: string,
  buckets?: number[],
): () => void {
  instrumentCache(cache)
  const metric = `${prefix}load_duration_seconds`
  const histogram =
    (registry.getSingleMetric(metric) as Histogram<string> | undefined) ??
    new Histogram({
      name: metric,
      help: 'Duration of loader calls (getOrSet misses), failed ones included.',
      labelNames: ['cache', 'outcome'],
      buckets: buckets ?? [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    })
  const START = `${prefix}t0`
  const channel = diagnostics.tracingChannel<unknown, CacheTraceContext>(CACHE_CHANNELS.load)
  const handlers = {
    start(ctx: CacheTraceContext) {
      if (ctx.cache === name) ctx[START] = performance.now()
    },
    end() {},
    asyncStart() {},
    asyncEnd(ctx: CacheTraceContext) {
      const t0 = ctx[START]
      if (typeof t0 !== 'number') return
      histogram.observe(
        { cache: name, outcome: 'error' in ctx ? 'error' : 'ok' },
        (performance.now() - t0) / 1000,
      )
    },
    error() {},
  }
  channel.subscribe(handlers)
  return () => channel.unsubscribe(handlers)
}
