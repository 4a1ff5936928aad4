import { CacheEmitter, type TierName } from './events.js'
import { StatsCounters } from './stats.js'

/**
 * Counts and emits what a cache does (hits, misses, stale hits, faults), for the cache and every
 * part of it: one instance per root cache, shared by its namespaces, its tiers and its handler.
 * Events are built only when someone listens, so hot paths pay a counter increment.
 */
export class CacheRecorder {
  /** The counters behind `cache.stats()`. */
  readonly counters = new StatsCounters()
  /** The listeners of `cache.on()`. */
  readonly emitter = new CacheEmitter()

  /** Records a fresh hit (`count: false` when the caller already counted it). */
  hit(key: string, tier: TierName, count = true): void {
    if (count) this.counters.hits++
    if (this.emitter.has('hit')) this.emitter.emit('hit', { key, tier })
  }

  /** Records a miss. */
  miss(key: string): void {
    this.counters.misses++
    if (this.emitter.has('miss')) this.emitter.emit('miss', { key })
  }

  /** Records a stale hit. */
  stale(key: string, reason: 'swr' | 'error' | 'timeout'): void {
    this.counters.staleHits++
    if (this.emitter.has('stale')) this.emitter.emit('stale', { key, reason })
  }

  /** Counts `n` entries removed from this process by a `delete`, a tag invalidation or a clear. */
  removed(n: number): void {
    this.counters.deletes += n
  }

  /** Records a `delete` of `key`. */
  deleted(key: string): void {
    if (this.emitter.has('delete')) this.emitter.emit('delete', { key })
  }

  /** Records an invalidation of `tags`. */
  invalidated(tags: readonly string[]): void {
    if (this.emitter.has('invalidate')) this.emitter.emit('invalidate', { tags })
  }

  /** Records a clear of `namespace`. */
  cleared(namespace: string): void {
    if (this.emitter.has('clear')) this.emitter.emit('clear', { namespace })
  }

  /** Counts and emits a fault that does not reach the caller. */
  fault(error: unknown, operation: string, key: string | undefined, tier?: TierName): void {
    this.counters.errors++
    if (tier === 'remote') this.counters.remote.errors++
    if (this.emitter.has('error')) {
      const err = error instanceof Error ? error : new Error(String(error))
      this.emitter.emit('error', { error: err, key, operation, tier })
    }
  }
}
