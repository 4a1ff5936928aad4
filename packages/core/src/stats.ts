import type { BreakerState } from './tiers/circuit-breaker.js'

/** Counters of one tier. */
export interface TierStats {
  /** Lookups this tier answered with a servable entry. */
  hits: number
  /** Lookups this tier could not answer. */
  misses: number
  /** Faults (timeouts, connection errors, undecodable bytes). */
  errors: number
}

/**
 * Counters of a cache. They add up: every lookup (`get`, each key of `getMany`, `getOrSet`) is
 * exactly one of `hits`, `staleHits` or `misses`, so `lookups = hits + staleHits + misses`.
 */
export interface CacheStats {
  /** Lookups answered with a fresh value. */
  hits: number
  /** Lookups answered with a stale value (grace, stale-while-revalidate, soft timeout). */
  staleHits: number
  /** Lookups with no servable value. */
  misses: number
  /** `hits + staleHits + misses`. */
  lookups: number
  /** `(hits + staleHits) / lookups`, 0 when there were no lookups. */
  hitRatio: number
  /** Values written (`set`, `setMany` items, stored loads). */
  sets: number
  /** `delete` calls that removed something, plus entries removed by tags or clears in this process. */
  deletes: number
  /** Loader calls (one per single flight, not per caller). */
  loads: number
  /** Loader calls that threw. */
  loadErrors: number
  /** Faults that were counted and emitted rather than thrown. */
  errors: number
  /**
   * Invalidation bus messages, when the cache has a bus: `published` by this instance, and
   * `received` from the other instances. Every instance has seen every other's invalidations
   * when its `received` equals the sum of the others' `published`.
   */
  bus?: { published: number; received: number }
  /** Per-tier counters. */
  tiers: {
    memory: TierStats & { entries: number; bytes: number }
    remote?: TierStats & { breaker: BreakerState }
  }
}

/** Mutable counters behind {@link CacheStats}. */
export class StatsCounters {
  hits = 0
  staleHits = 0
  misses = 0
  sets = 0
  deletes = 0
  loads = 0
  loadErrors = 0
  errors = 0
  readonly memory: TierStats = { hits: 0, misses: 0, errors: 0 }
  readonly remote: TierStats = { hits: 0, misses: 0, errors: 0 }
  readonly bus = { published: 0, received: 0 }
}
