import { randomUUID } from 'node:crypto'
import type { BusEnvelope, BusMessage, InvalidationBus } from './bus/invalidation-bus.js'
import { type Invalidation, InvalidationOutbox } from './bus/invalidation-outbox.js'
import { type Duration, parseDuration } from './duration.js'
import type { CacheEntry } from './entry/entry.js'
import { decodeEntry, encodeEntry } from './entry/index.js'
import { plainValueSize } from './entry/plain-value-size.js'
import { CacheError, errors } from './errors.js'
import { CacheEmitter, type TierName } from './events.js'
import { KeyWaiters } from './flight/key-waiters.js'
import type { LeaseContext } from './flight/lease.js'
import { SingleFlight } from './flight/single-flight.js'
import { invalidationTarget } from './invalidation-target.js'
import { qualifyTag } from './keys/key-layout.js'
import { type OptionFlags, optionKeys } from './known-options.js'
import { assertJitter, type ResolvedCacheOptions } from './options.js'
import { StatsCounters } from './stats.js'
import type { LruNode } from './stores/lru-map.js'
import { canBus, canConnect, canLease, type LeaseCapableStore } from './stores/store.js'
import { MemoryTier } from './tiers/memory-tier.js'
import { OutageLog } from './tiers/outage-log.js'
import { type CallOptions, RemoteTier } from './tiers/remote-tier.js'

/** Per-write options shared by `set`, `setMany` items and `getOrSet`. */
export interface WriteOptions {
  /** Time to live of this entry. @default the cache's `ttl` */
  ttl?: Duration
  /** Tags for `invalidateTags`. @default [] */
  tags?: readonly string[]
  /** Grace window of this entry (stale serving). @default the cache's `grace` */
  grace?: Duration | false
  /** TTL jitter fraction for this entry. @default the cache's `ttlJitter` */
  ttlJitter?: number
}

/** Every key of {@link WriteOptions}, checked both ways by the compiler (see {@link OptionFlags}). */
export const WRITE_FLAGS = {
  ttl: true,
  tags: true,
  grace: true,
  ttlJitter: true,
} as const satisfies OptionFlags<WriteOptions>

/** An encoded entry's header and the value's tag and length: what {@link CacheCore.localSize} adds to the JSON. */
const ENVELOPE_BYTES = 34

/** The tags of an entry written without any (shared: entries' tags are never mutated). */
const NO_TAGS: readonly string[] = Object.freeze([])

// Jitter spreads a wave of writes so their expiries do not line up (thundering herd on expiry).
function jittered(ttl: number, jitter: number): number {
  if (jitter > 0 && Number.isFinite(ttl))
    return Math.max(1, Math.round(ttl * (1 + (Math.random() * 2 - 1) * jitter)))
  return ttl
}

function entry<T>(value: T, now: number, ttl: number, grace: number, tags: readonly string[]): CacheEntry<T> {
  const expiresAt = now + ttl
  return { value, createdAt: now, expiresAt, staleUntil: expiresAt + grace, tags }
}

/** The keys of `set` options. */
export const WRITE_OPTIONS = optionKeys<WriteOptions>(WRITE_FLAGS)

/**
 * State shared by a root cache and all its namespaces: tiers, flights, counters, listeners.
 * Kept apart from the public `Cache` so that namespaces are cheap views.
 */
export class CacheCore {
  readonly options: ResolvedCacheOptions
  readonly l1: MemoryTier | undefined
  readonly l2: RemoteTier | undefined
  readonly flights = new SingleFlight()
  readonly counters = new StatsCounters()
  readonly emitter = new CacheEmitter()
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
    this.l1 = options.memory === undefined ? undefined : new MemoryTier(options.memory)
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
              fault: (error, operation, key) => this.fault(error, operation, key, 'remote'),
            },
            waiters: this.waiters,
            lease: options.lease,
          }
    if (store !== undefined && options.bus && store.capabilities.shared && canBus(store)) {
      this.bus = store.createBus(options.namespace)
      this.bus
        .subscribe((envelope) => this.#onBusMessage(envelope))
        .catch((error) => this.fault(error, 'bus', undefined, 'remote'))
      // While the bus is down another process's invalidation can be missed: drop L1 when it
      // comes back, so staleness is bounded by the outage (and by memory.maxTtl during it).
      this.bus.onConnectionChange((connected) => {
        if (connected) this.l1?.reset()
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
      this.fault(error, 'publish', undefined, 'remote')
    }
  }

  /** Publishes through the remote tier's deadline and breaker (`options`), and counts it; rejects on a fault. */
  async sendOnBus(bus: InvalidationBus, message: BusMessage, options?: CallOptions<void>): Promise<void> {
    await this.l2!.call('publish', () => bus.publish({ origin: this.instanceId, message }), options)
    this.counters.bus.published++
  }

  #onBusMessage({ origin, message }: BusEnvelope): void {
    if (origin === this.instanceId || this.closed) return
    this.counters.bus.received++
    switch (message.kind) {
      case 'keys':
        for (const key of message.keys) {
          this.flights.invalidateKey(key)
          this.l1?.delete(key)
          this.waiters.wake(key)
        }
        break
      case 'tags':
        this.flights.invalidateTags(message.tags)
        this.l1?.invalidateTags(message.tags)
        break
      case 'clear':
        this.flights.invalidatePrefixes(message.prefixes)
        this.l1?.clear(message.prefixes)
        break
    }
  }

  /** Throws `ERR_CACHE_CLOSED` once the cache is closed. */
  assertOpen(): void {
    if (this.closed) throw new CacheError(errors.ERR_CACHE_CLOSED, 'The cache is closed')
  }

  /** Builds the envelope of a write: TTL with jitter, grace window, tags. */
  makeEntry<T>(value: T, opts: WriteOptions | undefined, now = Date.now()): CacheEntry<T> {
    const o = this.options
    // The common `set(key, value)`: the cache's own options, already validated.
    if (opts === undefined) return entry(value, now, jittered(o.ttl, o.ttlJitter), o.grace, NO_TAGS)
    const ttl = opts.ttl === undefined ? o.ttl : parseDuration(opts.ttl, 'ttl')
    const jitter = opts.ttlJitter ?? o.ttlJitter
    if (opts.ttlJitter !== undefined) assertJitter(jitter)
    const grace =
      opts.grace === undefined ? o.grace : opts.grace === false ? 0 : parseDuration(opts.grace, 'grace')
    const tags = opts.tags ?? NO_TAGS
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'tags must be an array of non-empty strings')
    }
    return entry(value, now, jittered(ttl, jitter), grace, tags)
  }

  /** Encodes an entry; `ERR_CACHE_UNENCODABLE_VALUE` propagates so nothing is written. */
  encode(entry: CacheEntry): Uint8Array {
    return encodeEntry(entry, { compressThreshold: this.options.compressThreshold })
  }

  /**
   * The size L1 charges for an entry written to memory only, validating its value as
   * {@link encode} would: memory holds the value by reference, so a plain object or array (JSON
   * with binary leaves, such as a stored HTTP response) is measured without being encoded
   * ({@link plainValueSize}, plus the envelope's header and tags); anything else is encoded,
   * which refuses what the codec cannot round-trip.
   */
  localSize(entry: CacheEntry): number {
    const n = plainValueSize(entry.value)
    if (n < 0) return this.encode(entry).byteLength
    let size = ENVELOPE_BYTES + n
    for (const tag of entry.tags) size += tag.length + 2
    return size
  }

  /** Store-level tag names: qualified by the root namespace so apps sharing a Redis do not collide. */
  qualifyTags(tags: readonly string[]): string[] {
    const root = this.options.namespace
    return tags.map((t) => qualifyTag(root, t))
  }

  /**
   * Writes an entry to L1 and counts and emits the write (the L2 part is the caller's). `size`
   * is its encoded length, or {@link localSize} when it is written to memory only; `space` and
   * `local` as in `MemoryTier.set`.
   */
  writeLocal(
    key: string,
    entry: CacheEntry,
    size: number,
    space?: Map<string, LruNode<CacheEntry>>,
    local?: string,
  ): void {
    this.l1?.set(key, entry, size, space, local)
    this.counters.sets++
    if (this.emitter.has('set'))
      this.emitter.emit('set', { key, ttl: entry.expiresAt - entry.createdAt, tags: entry.tags })
  }

  /**
   * Writes an encoded entry to L1 then L2. L2 faults are counted and emitted, never thrown. An
   * `overwrite` (`set`) is also an invalidation of the older value: when it cannot reach L2,
   * the outbox deletes the older value there once the store answers again.
   */
  async write(key: string, entry: CacheEntry, bytes: Uint8Array, overwrite: boolean): Promise<void> {
    this.writeLocal(key, entry, bytes.byteLength)
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
      this.fault(error, 'set', key, 'remote')
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
    const c = this.counters.remote
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
          this.fault(error, 'get', key, 'remote')
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
      this.fault(error, 'decode', key, 'remote')
      return undefined
    }
    if (this.#blocked(key, entry)) return undefined
    if (this.l1 !== undefined && entry.staleUntil > Date.now() && epoch === this.flights.epoch)
      this.l1.set(key, entry, bytes.byteLength)
    return entry
  }

  /** Decodes bytes read from L2 (by `getMany`), counts the tier hit or miss and fills L1. */
  acceptRemote(
    key: string,
    bytes: Uint8Array | undefined,
    now: number,
    epoch: number,
  ): CacheEntry | undefined {
    const c = this.counters.remote
    if (bytes === undefined) {
      c.misses++
      return undefined
    }
    let entry: CacheEntry
    try {
      entry = decodeEntry(bytes)
    } catch (error) {
      this.fault(error, 'decode', key, 'remote')
      return undefined
    }
    if (entry.staleUntil <= now || this.#blocked(key, entry)) {
      c.misses++
      return undefined
    }
    c.hits++
    if (epoch === this.flights.epoch) this.l1?.set(key, entry, bytes.byteLength)
    return entry
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
}
