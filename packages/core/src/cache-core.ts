import { randomUUID } from 'node:crypto'
import type { BusEnvelope, BusMessage, InvalidationBus } from './bus/invalidation-bus.js'
import { type Invalidation, InvalidationOutbox } from './bus/invalidation-outbox.js'
import { CacheRecorder } from './cache-recorder.js'
import type { CacheEntry } from './entry/entry.js'
import { decodeEntry } from './entry/index.js'
import { EntryFactory } from './entry-factory.js'
import { CacheError, errors } from './errors.js'
import { KeyWaiters } from './flight/key-waiters.js'
import type { LeaseContext } from './flight/lease.js'
import { SingleFlight } from './flight/single-flight.js'
import { invalidationTarget } from './invalidation-target.js'
import { qualifyTag } from './keys/key-layout.js'
import { LocalCache } from './local-cache.js'
import type { ResolvedCacheOptions } from './options.js'
import { canBus, canConnect, canLease, type LeaseCapableStore } from './stores/store.js'
import { OutageLog } from './tiers/outage-log.js'
import { type CallOptions, RemoteTier } from './tiers/remote-tier.js'

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
  readonly l2: RemoteTier | undefined
  readonly flights = new SingleFlight()
  /** Id of this cache instance on the bus, so it ignores its own messages. */
  readonly instanceId = randomUUID()
  /** The invalidation bus, when the store is shared and can open one. */
  readonly bus: InvalidationBus | undefined
  /** Invalidations waiting for the store (and the bus) to answer again; with an L2 only. */
  readonly outbox: InvalidationOutbox | undefined
  /** Logs the store's outages, when it reports its connection and a logger is set. */
  readonly outageLog: OutageLog | undefined
  /** The store, when it can hand out stampede leases (and leases are on). */
  readonly leaseStore: LeaseCapableStore | undefined
  /** Callbacks waiting for news of a key (a lease waiter sleeping until the leader writes). */
  readonly waiters = new KeyWaiters()
  /** What the lease functions work with; with an L2 only. */
  readonly lease: LeaseContext | undefined
  readonly #remoteReads = new Map<string, Promise<CacheEntry | undefined>>()
  closed = false

  constructor(options: ResolvedCacheOptions) {
    this.options = options
    this.entries = new EntryFactory(options)
    this.local = new LocalCache(options.memory, this.recorder, (entry) => this.entries.encode(entry))
    const store = options.store
    this.l2 = store === undefined ? undefined : new RemoteTier(store, options.remote)
    this.outbox =
      this.l2 === undefined ? undefined : new InvalidationOutbox(invalidationTarget(this), options.outboxSize)
    this.outageLog =
      store !== undefined && options.logger !== undefined && canConnect(store)
        ? new OutageLog(store, options.logger)
        : undefined
    const leaseStore =
      store !== undefined && options.lease !== undefined && canLease(store) ? store : undefined
    this.leaseStore = leaseStore
    const l2 = this.l2
    this.lease =
      l2 === undefined
        ? undefined
        : {
            remote: {
              tier: l2,
              leaseStore,
              read: (key) => this.readRemote(key),
              count: (entry, now) => this.countRemote(entry, now),
              qualifyTags: (tags) => this.qualifyTags(tags),
              fault: (error, operation, key) => this.recorder.fault(error, operation, key, 'remote'),
            },
            waiters: this.waiters,
            lease: options.lease,
          }
    if (store !== undefined && options.bus && store.capabilities.shared && canBus(store)) {
      this.bus = store.createBus(options.namespace)
      this.bus
        .subscribe((envelope) => this.#onBusMessage(envelope))
        .catch((error) => this.recorder.fault(error, 'bus', undefined, 'remote'))
      // While the bus is down another process's invalidation can be missed: drop L1 when it
      // comes back, so staleness is bounded by the outage (and by memory.maxTtl during it).
      this.bus.onConnectionChange((connected) => {
        if (connected) this.local.reset()
      })
    }
  }

  /**
   * Delivers an invalidation to the store and then to the other processes, through the outbox:
   * one that cannot be delivered now is kept and replayed in order (see InvalidationOutbox).
   * Resolves to the entries the store removed, or `undefined` without an L2 or while pending.
   */
  invalidate(message: Invalidation, stored = false): Promise<number | undefined> {
    const outbox = this.outbox
    return outbox === undefined ? Promise.resolve(undefined) : outbox.send(message, stored)
  }

  /** True when an L2 value must not be served: a pending invalidation may remove it. */
  #blocked(key: string, entry: CacheEntry): boolean {
    const outbox = this.outbox!
    return outbox.pending > 0 && outbox.blocks(key, entry.tags)
  }

  /** Tells the other processes about a write. Faults are counted and emitted. */
  async publish(message: BusMessage): Promise<void> {
    const bus = this.bus
    if (bus === undefined) return
    try {
      await this.sendOnBus(bus, message)
    } catch (error) {
      this.recorder.fault(error, 'publish', undefined, 'remote')
    }
  }

  /** Publishes through the remote tier's deadline and breaker (`options`), and counts it; rejects on a fault. */
  async sendOnBus(bus: InvalidationBus, message: BusMessage, options?: CallOptions<void>): Promise<void> {
    await this.l2!.call('publish', () => bus.publish({ origin: this.instanceId, message }), options)
    this.recorder.counters.bus.published++
  }

  #onBusMessage({ origin, message }: BusEnvelope): void {
    if (origin === this.instanceId || this.closed) return
    this.recorder.counters.bus.received++
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

  /** Store-level tag names: qualified by the root namespace so apps sharing a Redis do not collide. */
  qualifyTags(tags: readonly string[]): string[] {
    const root = this.options.namespace
    return tags.map((t) => qualifyTag(root, t))
  }

  /**
   * Writes an encoded entry to L1 then L2. L2 faults are counted and emitted, never thrown. An
   * `overwrite` (`set`) is also an invalidation of the older value: when it cannot reach L2,
   * the outbox deletes the older value there once the store answers again.
   */
  async write(key: string, entry: CacheEntry, bytes: Uint8Array, overwrite: boolean): Promise<void> {
    this.local.write(key, entry, bytes.byteLength)
    const l2 = this.l2
    if (l2 === undefined) return
    const ttl = entry.staleUntil - Date.now()
    if (ttl <= 0) return
    const tags = this.qualifyTags(entry.tags)
    let stored = true
    try {
      await l2.call('set', (s) => s.set(key, bytes, ttl, tags))
    } catch (error) {
      stored = false
      this.recorder.fault(error, 'set', key, 'remote')
    }
    // An overwriting set drops the other processes' L1 copies (and wakes their lease waiters).
    if (overwrite) await this.invalidate({ kind: 'keys', keys: [key] }, stored)
    else await this.publish({ kind: 'keys', keys: [key] })
  }

  /**
   * Reads `key` from L2 and decodes it. Concurrent reads of one key share one Redis call and one
   * decode. Faults and undecodable bytes become `undefined` plus an `error` event (a corrupted
   * entry is a miss, never a crash). A servable entry fills L1 with its remaining lifetime,
   * unless an invalidation ran while the read was in flight. The caller counts the result with
   * {@link countRemote}: each caller once, though they share the read.
   */
  readRemote(key: string): Promise<CacheEntry | undefined> {
    let read = this.#remoteReads.get(key)
    if (read === undefined) {
      read = this.#readRemoteOnce(key)
      this.#remoteReads.set(key, read)
    }
    return read
  }

  /** Counts an L2 read's result as a tier hit or miss; `undefined` unless servable at `now`. */
  countRemote(entry: CacheEntry | undefined, now: number): CacheEntry | undefined {
    const c = this.recorder.counters.remote
    if (entry === undefined || entry.staleUntil <= now) {
      c.misses++
      return undefined
    }
    c.hits++
    return entry
  }

  // One promise per key and no async layers: every L2 read goes through here, and each layer
  // costs a promise and a microtask turn (this path is benchmarked against raw ioredis).
  #readRemoteOnce(key: string): Promise<CacheEntry | undefined> {
    const epoch = this.flights.epoch
    return new Promise((resolve) => {
      this.l2!.read(key, (error, bytes) => {
        this.#remoteReads.delete(key)
        if (error !== undefined) {
          this.recorder.fault(error, 'get', key, 'remote')
          resolve(undefined)
        } else resolve(bytes === undefined ? undefined : this.#decodeRead(key, bytes, epoch))
      })
    })
  }

  #decodeRead(key: string, bytes: Uint8Array, epoch: number): CacheEntry | undefined {
    let entry: CacheEntry
    try {
      entry = decodeEntry(bytes)
    } catch (error) {
      this.recorder.fault(error, 'decode', key, 'remote')
      return undefined
    }
    if (this.#blocked(key, entry)) return undefined
    if (entry.staleUntil > Date.now() && epoch === this.flights.epoch)
      this.local.fill(key, entry, bytes.byteLength)
    return entry
  }

  /** Decodes bytes read from L2 (by `getMany`), counts the tier hit or miss and fills L1. */
  acceptRemote(
    key: string,
    bytes: Uint8Array | undefined,
    now: number,
    epoch: number,
  ): CacheEntry | undefined {
    const c = this.recorder.counters.remote
    if (bytes === undefined) {
      c.misses++
      return undefined
    }
    let entry: CacheEntry
    try {
      entry = decodeEntry(bytes)
    } catch (error) {
      this.recorder.fault(error, 'decode', key, 'remote')
      return undefined
    }
    if (entry.staleUntil <= now || this.#blocked(key, entry)) {
      c.misses++
      return undefined
    }
    c.hits++
    if (epoch === this.flights.epoch) this.local.fill(key, entry, bytes.byteLength)
    return entry
  }
}
