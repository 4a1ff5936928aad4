import { randomUUID } from 'node:crypto'
import type { BusEnvelope, BusMessage, InvalidationBus } from './bus/invalidation-bus.js'
import { type Invalidation, InvalidationOutbox } from './bus/invalidation-outbox.js'
import type { CacheRecorder } from './cache-recorder.js'
import type { CacheEntry } from './entry/entry.js'
import { decodeEntry } from './entry/index.js'
import { CacheError, errors } from './errors.js'
import type { LeaseRemote } from './flight/lease.js'
import type { SingleFlight } from './flight/single-flight.js'
import { invalidationTarget } from './invalidation-target.js'
import { qualifyTag } from './keys/key-layout.js'
import type { LocalCache } from './local-cache.js'
import type { ResolvedCacheOptions } from './options.js'
import type { TierStats } from './stats.js'
import { type CacheStore, canBus, canConnect, canLease, type LeaseCapableStore } from './stores/store.js'
import { OutageLog } from './tiers/outage-log.js'
import { type CallOptions, RemoteTier } from './tiers/remote-tier.js'

const POOLED = Object.freeze({ pooled: true })

/** The cache options a {@link RemoteCache} reads. */
export type RemoteCacheOptions = Pick<
  ResolvedCacheOptions,
  'namespace' | 'remote' | 'outboxSize' | 'bus' | 'lease' | 'logger'
>

/** The parts of the cache a {@link RemoteCache} works with. */
export interface RemoteCacheParts {
  /** Counts and emits. */
  readonly recorder: CacheRecorder
  /** L1, filled by the values read from L2 (and dropped when the bus comes back). */
  readonly local: LocalCache
  /** The loads in flight: an invalidation bumps their epoch, and a read that raced one fills nothing. */
  readonly flights: SingleFlight
  /** Receives the other processes' invalidations from the bus. */
  readonly onMessage: (message: BusMessage) => void
}

/** An encoded write of `setMany`. */
export interface EncodedWrite {
  /** The full key. */
  readonly key: string
  /** Its envelope. */
  readonly entry: CacheEntry
  /** The envelope, encoded. */
  readonly bytes: Uint8Array
}

/**
 * The remote facade (L2): reads (coalesced per key, decoded once, filling L1), writes,
 * invalidations through the outbox, the bus, and the accounting of all their faults, which are
 * counted and emitted, never thrown (reads fail open).
 */
export class RemoteCache implements LeaseRemote {
  /** The guarded store (deadline and breaker on every call). */
  readonly tier: RemoteTier
  /** The invalidation bus, when the store is shared and can open one. */
  readonly bus: InvalidationBus | undefined
  /** The store, when it can hand out stampede leases (and leases are on). */
  readonly leaseStore: LeaseCapableStore | undefined
  readonly #namespace: string
  readonly #recorder: CacheRecorder
  readonly #counters: TierStats
  readonly #local: LocalCache
  readonly #flights: SingleFlight
  /** Invalidations waiting for the store (and the bus) to answer again. */
  readonly #outbox: InvalidationOutbox
  /** Logs the store's outages, when it reports its connection and a logger is set. */
  readonly #outageLog: OutageLog | undefined
  /** Id of this cache instance on the bus, so it ignores its own messages. */
  readonly #instanceId = randomUUID()
  readonly #reads = new Map<string, Promise<CacheEntry | undefined>>()
  #closed = false

  constructor(store: CacheStore, options: RemoteCacheOptions, parts: RemoteCacheParts) {
    this.tier = new RemoteTier(store, options.remote)
    this.#namespace = options.namespace
    this.#recorder = parts.recorder
    this.#counters = parts.recorder.counters.remote
    this.#local = parts.local
    this.#flights = parts.flights
    this.#outbox = new InvalidationOutbox(
      invalidationTarget(this, options.namespace, options.outboxSize),
      options.outboxSize,
    )
    this.#outageLog =
      options.logger !== undefined && canConnect(store) ? new OutageLog(store, options.logger) : undefined
    this.leaseStore = options.lease !== undefined && canLease(store) ? store : undefined
    if (options.bus && store.capabilities.shared && canBus(store)) {
      const onMessage = parts.onMessage
      this.bus = store.createBus(options.namespace)
      this.bus
        .subscribe((envelope) => this.#received(envelope, onMessage))
        .catch((error) => this.fault(error, 'bus', undefined))
      // While the bus is down another process's invalidation can be missed: drop L1 when it
      // comes back, so staleness is bounded by the outage (and by memory.maxTtl during it).
      this.bus.onConnectionChange((connected) => {
        if (connected) this.#local.reset()
      })
    }
  }

  /** Invalidations waiting to be replayed to the store. */
  get pendingInvalidations(): number {
    return this.#outbox.pending
  }

  /** Store-level tag names: qualified by the root namespace so apps sharing a Redis do not collide. */
  qualifyTags(tags: readonly string[]): string[] {
    const root = this.#namespace
    return tags.map((t) => qualifyTag(root, t))
  }

  /**
   * Reads `key` from L2 and decodes it; `guards` are the store-level stamp tags it may carry,
   * read with it (see `FencedLoadStore.setFenced`). Concurrent reads of one key share one Redis
   * call and one decode. Faults and undecodable bytes become `undefined` plus an `error` event (a corrupted
   * entry is a miss, never a crash). A servable entry fills L1 with its remaining lifetime,
   * unless an invalidation ran while the read was in flight. The caller counts the result with
   * {@link count}: each caller once, though they share the read.
   */
  read(key: string, guards?: readonly string[]): Promise<CacheEntry | undefined> {
    let read = this.#reads.get(key)
    if (read === undefined) {
      read = this.#readOnce(key, guards)
      this.#reads.set(key, read)
    }
    return read
  }

  /** Counts an L2 read's result as a tier hit or miss; `undefined` unless servable at `now`. */
  count(entry: CacheEntry | undefined, now: number): CacheEntry | undefined {
    if (entry === undefined || entry.staleUntil <= now) {
      this.#counters.misses++
      return undefined
    }
    this.#counters.hits++
    return entry
  }

  // One promise per key and no async layers: every L2 read goes through here, and each layer
  // costs a promise and a microtask turn (this path is benchmarked against raw ioredis).
  #readOnce(key: string, guards: readonly string[] | undefined): Promise<CacheEntry | undefined> {
    const epoch = this.#flights.epoch
    return new Promise((resolve) => {
      this.tier.read(
        key,
        (error, bytes) => {
          this.#reads.delete(key)
          if (error !== undefined) {
            this.fault(error, 'get', key)
            resolve(undefined)
          } else resolve(bytes === undefined ? undefined : this.#decodeRead(key, bytes, epoch))
        },
        guards,
      )
    })
  }

  #decodeRead(key: string, bytes: Uint8Array, epoch: number): CacheEntry | undefined {
    const entry = this.#decode(key, bytes)
    if (entry === undefined || this.#blocked(key, entry)) return undefined
    if (entry.staleUntil > Date.now() && epoch === this.#flights.epoch)
      this.#local.fill(key, entry, bytes.byteLength)
    return entry
  }

  /**
   * Decodes bytes read from L2 by a batch (`getMany`), counts the tier hit or miss and fills L1
   * unless an invalidation ran since `epoch`; the entry, or `undefined` unless servable at `now`.
   */
  accept(key: string, bytes: Uint8Array | undefined, now: number, epoch: number): CacheEntry | undefined {
    if (bytes === undefined) {
      this.#counters.misses++
      return undefined
    }
    const entry = this.#decode(key, bytes)
    if (entry === undefined) return undefined
    if (entry.staleUntil <= now || this.#blocked(key, entry)) {
      this.#counters.misses++
      return undefined
    }
    this.#counters.hits++
    if (epoch === this.#flights.epoch) this.#local.fill(key, entry, bytes.byteLength)
    return entry
  }

  #decode(key: string, bytes: Uint8Array): CacheEntry | undefined {
    try {
      // With no memory tier, nothing keeps the entry, so a pooled copy pins nothing of ours.
      return decodeEntry(bytes, this.#local.enabled ? undefined : POOLED)
    } catch (error) {
      this.fault(error, 'decode', key)
      return undefined
    }
  }

  /** True when an L2 value must not be served: a pending invalidation may remove it. */
  #blocked(key: string, entry: CacheEntry): boolean {
    const outbox = this.#outbox
    return outbox.pending > 0 && outbox.blocks(key, entry.tags)
  }

  /**
   * Writes an encoded entry to L2 (L1 is the caller's). Faults are counted and emitted, never
   * thrown. An `overwrite` (`set`) is also an invalidation of the older value: when it cannot
   * reach L2, the outbox deletes the older value there once the store answers again.
   */
  async write(key: string, entry: CacheEntry, bytes: Uint8Array, overwrite: boolean): Promise<void> {
    const ttl = entry.staleUntil - Date.now()
    if (ttl <= 0) return
    const tags = this.qualifyTags(entry.tags)
    let stored = true
    try {
      await this.tier.call('set', (s) => s.set(key, bytes, ttl, tags))
    } catch (error) {
      stored = false
      this.fault(error, 'set', key)
    }
    // An overwriting set drops the other processes' L1 copies (and wakes their lease waiters).
    if (overwrite) await this.invalidate({ kind: 'keys', keys: [key] }, stored)
    else await this.publish({ kind: 'keys', keys: [key] })
  }

  /**
   * Writes encoded entries to L2 in one call (L1 is the caller's), then tells the other
   * processes in one message. Overwrites are invalidations of the older values: when the write
   * misses the store, the outbox deletes them there once it answers again.
   */
  async writeMany(writes: readonly EncodedWrite[]): Promise<void> {
    const now = Date.now()
    const items = writes
      .map((w) => ({
        key: w.key,
        value: w.bytes,
        ttl: w.entry.staleUntil - now,
        tags: this.qualifyTags(w.entry.tags),
      }))
      .filter((w) => w.ttl > 0)
    let stored = true
    try {
      await this.tier.call('setMany', (s) => s.setMany(items))
    } catch (error) {
      stored = false
      this.fault(error, 'setMany', undefined)
    }
    await this.invalidate({ kind: 'keys', keys: writes.map((w) => w.key) }, stored)
  }

  /**
   * Delivers an invalidation to the store and then to the other processes, through the outbox:
   * one that cannot be delivered now is kept and replayed in order (see InvalidationOutbox).
   * Resolves to the entries the store removed, or `undefined` while pending. `stored`: the
   * store side is already done.
   */
  invalidate(message: Invalidation, stored = false): Promise<number | undefined> {
    return this.#outbox.send(message, stored)
  }

  /** Tells the other processes about a write. Faults are counted and emitted. */
  async publish(message: BusMessage): Promise<void> {
    if (this.bus === undefined) return
    try {
      await this.send(message)
    } catch (error) {
      this.fault(error, 'publish', undefined)
    }
  }

  /**
   * Publishes on the bus, when there is one, through the tier's deadline and breaker
   * (`options`), and counts it; rejects on a fault.
   */
  async send(message: BusMessage, options?: CallOptions<void>): Promise<void> {
    const bus = this.bus
    if (bus === undefined) return
    await this.tier.call('publish', () => bus.publish({ origin: this.#instanceId, message }), options)
    this.#recorder.counters.bus.published++
  }

  #received({ origin, message }: BusEnvelope, onMessage: (message: BusMessage) => void): void {
    if (origin === this.#instanceId || this.#closed) return
    this.#recorder.counters.bus.received++
    onMessage(message)
  }

  /** Counts and emits a remote fault that does not reach the caller. */
  fault(error: unknown, operation: string, key: string | undefined): void {
    this.#recorder.fault(error, operation, key, 'remote')
  }

  /** Gives the invalidations still waiting one last chance to reach the store. */
  flush(): Promise<void> {
    return this.#outbox.flush(true)
  }

  /**
   * Stops the bus handling and the outage log, reports the invalidations that never reached the
   * store (they are not silently lost), and closes the store.
   */
  async close(): Promise<void> {
    this.#closed = true
    this.#outageLog?.close()
    const undelivered = this.#outbox.close()
    if (undelivered.length > 0) {
      this.fault(
        new CacheError(errors.ERR_CACHE_STORE, `${undelivered.length} invalidations never reached the store`),
        'close',
        undefined,
      )
    }
    try {
      await this.tier.store.close()
    } catch (error) {
      this.fault(error, 'close', undefined)
    }
  }
}
