import type { BusMessage } from './bus/invalidation-bus.js'
import { CacheRecorder } from './cache-recorder.js'
import { EntryFactory } from './entry-factory.js'
import { CacheError, errors } from './errors.js'
import { KeyWaiters } from './flight/key-waiters.js'
import { SingleFlight } from './flight/single-flight.js'
import { GetOrSetHandler } from './get-or-set-handler.js'
import { LocalCache } from './local-cache.js'
import type { ResolvedCacheOptions } from './options.js'
import { RemoteCache } from './remote-cache.js'
import type { CacheStats } from './stats.js'

/**
 * The stack shared by a root cache and all its namespaces: it owns and wires the parts (the
 * local and remote facades, the flights, the get-or-set handler, the recorder) and the cache's
 * open/closed state. Kept apart from the public `Cache` so that namespaces are cheap views.
 */
export class CacheCore {
  /** The resolved options. */
  readonly options: ResolvedCacheOptions
  /** Counts and emits what the cache does. */
  readonly recorder = new CacheRecorder()
  /** Builds and encodes the envelopes of writes. */
  readonly entries: EntryFactory
  /** The local facade (L1). */
  readonly local: LocalCache
  /** The remote facade (L2), when a store is set. */
  readonly remote: RemoteCache | undefined
  /** One load per key in this process; invalidations mark the loads they overtake. */
  readonly flights = new SingleFlight()
  /** The slow path of `getOrSet`. */
  readonly getOrSet: GetOrSetHandler
  /** Callbacks waiting for news of a key (a lease waiter sleeping until the leader writes). */
  readonly #waiters = new KeyWaiters()
  #closed = false

  constructor(options: ResolvedCacheOptions) {
    this.options = options
    this.entries = new EntryFactory(options)
    this.local = new LocalCache(options.memory, this.recorder, (entry) => this.entries.encode(entry))
    const store = options.store
    this.remote =
      store === undefined
        ? undefined
        : new RemoteCache(store, options, {
            recorder: this.recorder,
            local: this.local,
            flights: this.flights,
            onMessage: (message) => this.#onBusMessage(message),
          })
    this.getOrSet = new GetOrSetHandler({
      options,
      recorder: this.recorder,
      entries: this.entries,
      local: this.local,
      remote: this.remote,
      flights: this.flights,
      waiters: this.#waiters,
      isClosed: () => this.#closed,
    })
  }

  /** True once {@link close} was called. */
  get closed(): boolean {
    return this.#closed
  }

  // Another process's invalidation: it wins over this process's loads and L1 copies.
  #onBusMessage(message: BusMessage): void {
    switch (message.kind) {
      case 'keys':
        for (const key of message.keys) {
          this.flights.invalidateKey(key)
          this.local.delete(key)
          this.#waiters.wake(key)
        }
        break
      case 'tags':
        this.flights.invalidateTags(message.tags)
        this.local.invalidateTags(message.tags)
        break
      case 'clear':
        this.flights.invalidatePrefixes(message.prefixes)
        this.local.clear(message.prefixes)
        break
    }
  }

  /** Throws `ERR_CACHE_CLOSED` once the cache is closed. */
  assertOpen(): void {
    if (this.#closed) throw new CacheError(errors.ERR_CACHE_CLOSED, 'The cache is closed')
  }

  /** Closes the cache (all namespaces) and its store. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return
    const remote = this.remote
    // One last chance for invalidations still waiting, then they are reported, not silently lost.
    await remote?.flush()
    this.#closed = true
    this.local.reset()
    await remote?.close()
  }

  /** Counters of the whole cache (all namespaces). They add up: `lookups = hits + staleHits + misses`. */
  stats(): CacheStats {
    const c = this.recorder.counters
    const lookups = c.hits + c.staleHits + c.misses
    const usage = this.local.usage ?? { entries: 0, bytes: 0 }
    const remote = this.remote
    return {
      hits: c.hits,
      staleHits: c.staleHits,
      misses: c.misses,
      lookups,
      hitRatio: lookups === 0 ? 0 : (c.hits + c.staleHits) / lookups,
      sets: c.sets,
      deletes: c.deletes,
      loads: c.loads,
      loadErrors: c.loadErrors,
      errors: c.errors,
      ...(remote?.bus === undefined ? {} : { bus: { ...c.bus } }),
      tiers: {
        memory: { ...c.memory, ...usage },
        ...(remote === undefined ? {} : { remote: { ...c.remote, breaker: remote.tier.breakerState } }),
      },
    }
  }
}
