import type { BusMessage } from './bus/invalidation-bus.js'
import { CacheRecorder } from './cache-recorder.js'
import { EntryFactory } from './entry-factory.js'
import { CacheError, errors } from './errors.js'
import { KeyWaiters } from './flight/key-waiters.js'
import type { LeaseContext } from './flight/lease.js'
import { SingleFlight } from './flight/single-flight.js'
import { LocalCache } from './local-cache.js'
import type { ResolvedCacheOptions } from './options.js'
import { RemoteCache } from './remote-cache.js'

/**
 * State shared by a root cache and all its namespaces: tiers, flights, counters, listeners.
 * Kept apart from the public `Cache` so that namespaces are cheap views.
 */
export class CacheCore {
  readonly options: ResolvedCacheOptions
  /** Counts and emits what the cache does. */
  readonly recorder = new CacheRecorder()
  /** Builds and encodes the envelopes of writes. */
  readonly entries: EntryFactory
  /** The local facade (L1). */
  readonly local: LocalCache
  /** The remote facade (L2), when a store is set. */
  readonly remote: RemoteCache | undefined
  readonly flights = new SingleFlight()
  /** Callbacks waiting for news of a key (a lease waiter sleeping until the leader writes). */
  readonly waiters = new KeyWaiters()
  /** What the lease functions work with; with an L2 only. */
  readonly lease: LeaseContext | undefined
  closed = false

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
    this.lease =
      this.remote === undefined
        ? undefined
        : { remote: this.remote, waiters: this.waiters, lease: options.lease }
  }

  // Another process's invalidation: it wins over this process's loads and L1 copies.
  #onBusMessage(message: BusMessage): void {
    switch (message.kind) {
      case 'keys':
        for (const key of message.keys) {
          this.flights.invalidateKey(key)
          this.local.delete(key)
          this.waiters.wake(key)
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
    if (this.closed) throw new CacheError(errors.ERR_CACHE_CLOSED, 'The cache is closed')
  }

  /** Closes the cache (all namespaces) and its store. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return
    const remote = this.remote
    // One last chance for invalidations still waiting, then they are reported, not silently lost.
    await remote?.flush()
    this.closed = true
    this.local.reset()
    await remote?.close()
  }
}
