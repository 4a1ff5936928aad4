import type { CacheRecorder } from './cache-recorder.js'
import { parseDuration } from './duration.js'
import type { CacheEntry } from './entry/entry.js'
import type { EntryFactory } from './entry-factory.js'
import { isCacheError } from './errors.js'
import type { KeyWaiters } from './flight/key-waiters.js'
import { beginLoad, holdLease, type LeaseContext, type LoadTicket, releaseLease } from './flight/lease.js'
import type { Flight, SingleFlight } from './flight/single-flight.js'
import { GET_OR_SET_OPTIONS, type GetOrSetOptions, type Loader } from './get-or-set.js'
import { assertKnownOptions } from './known-options.js'
import type { LocalCache } from './local-cache.js'
import type { ResolvedCacheOptions } from './options.js'
import type { RemoteCache } from './remote-cache.js'
import { stampTagsOf } from './stamp-tags.js'
import { type LoadedWrite, storeLoaded } from './store-loaded.js'
import { Budget } from './tiers/budget.js'

/** The cache options a {@link GetOrSetHandler} reads. */
export type GetOrSetDefaults = Pick<
  ResolvedCacheOptions,
  'staleWhileRevalidate' | 'timeout' | 'remote' | 'lease'
>

/** What a {@link GetOrSetHandler} works with, handed in by the cache that owns them. */
export interface GetOrSetParts {
  /** The cache's options. */
  readonly options: GetOrSetDefaults
  /** Counts and emits. */
  readonly recorder: CacheRecorder
  /** Builds and encodes the loaded values' entries. */
  readonly entries: EntryFactory
  /** L1. */
  readonly local: LocalCache
  /** L2 (with its lease store), when a store is set. */
  readonly remote: RemoteCache | undefined
  /** One load per key in this process. */
  readonly flights: SingleFlight
  /** Where a lease waiter sleeps until the leader's write is announced. */
  readonly waiters: KeyWaiters
  /** True once the cache is closed: a load that ends after that stores nothing. */
  readonly isClosed: () => boolean
}

const TIMED_OUT = Symbol('timed out')

/**
 * The slow path of `getOrSet`, after an L1 miss: L2, then one single flight per key in this
 * process and, with a store that leases, one load across processes. Serves stale values within
 * grace (stale-while-revalidate, soft timeout, stale-if-error).
 */
export class GetOrSetHandler {
  readonly #options: GetOrSetDefaults
  readonly #recorder: CacheRecorder
  readonly #entries: EntryFactory
  readonly #local: LocalCache
  readonly #remote: RemoteCache | undefined
  readonly #flights: SingleFlight
  readonly #isClosed: () => boolean
  /** The lease functions' context; with an L2 only. */
  readonly #lease: LeaseContext | undefined
  /** What a loaded value is written through; with an L2 only. */
  readonly #write: LoadedWrite | undefined

  constructor(parts: GetOrSetParts) {
    this.#options = parts.options
    this.#recorder = parts.recorder
    this.#entries = parts.entries
    this.#local = parts.local
    this.#remote = parts.remote
    this.#flights = parts.flights
    this.#isClosed = parts.isClosed
    const remote = parts.remote
    if (remote !== undefined) {
      this.#lease = { remote, waiters: parts.waiters, lease: parts.options.lease }
      this.#write = { local: parts.local, remote, lease: this.#lease, isClosed: parts.isClosed }
    }
  }

  /**
   * The value of `key`: from L2, from a load already running, or from a new load whose result
   * is stored. `l1Stale` is an L1 entry past `expiresAt` but within grace; `now` when L1 was read.
   */
  async handle<T>(
    key: string,
    loader: Loader<T>,
    opts: GetOrSetOptions | undefined,
    l1Stale: CacheEntry | undefined,
    now: number,
  ): Promise<T> {
    const recorder = this.#recorder
    let stale = l1Stale as CacheEntry<T> | undefined
    let flight = this.#flights.get<T>(key)
    // One budget for every Redis call of this request, so a stall costs one deadline, not one per call.
    const budget = new Budget(this.#options.remote.timeout)
    const l2 = this.#remote
    if (flight === undefined && l2 !== undefined) {
      const startedAt = Date.now()
      const stamps = stampTagsOf(opts)
      const read = await l2.read(key, stamps.length === 0 ? undefined : l2.qualifyTags(stamps))
      budget.charge(startedAt)
      const remote = l2.count(read, now) as CacheEntry<T> | undefined
      if (remote !== undefined) {
        if (remote.expiresAt > Date.now()) {
          recorder.hit(key, 'remote')
          return remote.value
        }
        if (stale === undefined || remote.createdAt > stale.createdAt) stale = remote
      }
      flight = this.#flights.get<T>(key)
    }
    flight ??= this.#start(key, loader, opts, stale, budget)

    const swr = opts?.staleWhileRevalidate ?? this.#options.staleWhileRevalidate
    if (stale !== undefined && swr) {
      this.#background(flight, key)
      recorder.stale(key, 'swr')
      return stale.value
    }
    const timeoutOpt =
      opts?.timeout === undefined ? this.#options.timeout : parseDuration(opts.timeout, 'timeout')
    try {
      if (stale !== undefined && timeoutOpt !== undefined) {
        const raced = await raceTimeout(flight.promise, timeoutOpt)
        if (raced === TIMED_OUT) {
          this.#background(flight, key)
          recorder.stale(key, 'timeout')
          return stale.value
        }
        recorder.miss(key)
        return raced as T
      }
      const value = await flight.promise
      recorder.miss(key)
      return value
    } catch (error) {
      // Grace / stale-if-error (RFC 5861 §4): a failed refresh serves the stale value.
      if (stale !== undefined && stale.staleUntil > Date.now()) {
        recorder.stale(key, 'error')
        return stale.value
      }
      recorder.miss(key)
      throw error
    }
  }

  #start<T>(
    key: string,
    loader: Loader<T>,
    opts: GetOrSetOptions | undefined,
    stale: CacheEntry<T> | undefined,
    budget: Budget,
  ): Flight<T> {
    // Options are validated before the loader runs, so bad options fail fast and cost no load.
    // Here, on a miss, hits never pay for it.
    if (opts !== undefined) assertKnownOptions(opts, GET_OR_SET_OPTIONS, 'getOrSet options')
    this.#entries.make(undefined, opts)
    const tags = opts?.tags ?? []
    const lease = this.#lease
    return this.#flights.start<T>(key, tags, async (flight) => {
      let ticket: LoadTicket = { token: undefined, fence: undefined }
      if (lease !== undefined) {
        const start = await beginLoad<T>(lease, key, tags, budget)
        if ('value' in start) return start.value
        ticket = start.ticket
      }
      const token = ticket.token
      const stop = token === undefined ? undefined : holdLease(lease!, key, token)
      try {
        return await this.#loadAndStore(key, loader, opts, stale, flight, ticket, budget)
      } finally {
        stop?.()
        // The fenced write releases the lease itself (ticket.token is then cleared).
        if (ticket.token !== undefined) releaseLease(lease!, key, ticket.token)
      }
    })
  }

  async #loadAndStore<T>(
    key: string,
    loader: Loader<T>,
    opts: GetOrSetOptions | undefined,
    stale: CacheEntry<T> | undefined,
    flight: Flight<T>,
    ticket: LoadTicket,
    budget: Budget,
  ): Promise<T> {
    const counters = this.#recorder.counters
    counters.loads++
    let value: T
    try {
      value = await loader({ key, stale: stale?.value })
    } catch (error) {
      counters.loadErrors++
      throw error
    }
    // An invalidation that ran after this load started wins: answer our callers, store nothing.
    if (flight.invalidated || this.#isClosed()) return value
    const write = this.#write
    let entry: CacheEntry<T>
    let bytes: Uint8Array | undefined
    let size = 0
    try {
      entry = this.#entries.make(value, opts)
      // Memory only: the value is held by reference, so it needs a size (and validation), not bytes.
      if (write === undefined) size = this.#local.size(entry)
      else bytes = this.#entries.encode(entry)
    } catch (error) {
      // The value answers its callers but cannot be cached; say so instead of failing the request.
      this.#recorder.fault(error, 'encode', key)
      if (!isCacheError(error)) throw error
      return value
    }
    if (write === undefined || bytes === undefined) this.#local.write(key, entry, size)
    else await storeLoaded(write, key, entry, bytes, flight, ticket, budget, stampTagsOf(opts).length)
    return value
  }

  /** Lets a flight finish unobserved: its failure becomes an `error` event, not an unhandled rejection. */
  #background(flight: Flight, key: string): void {
    flight.promise.catch((error) => this.#recorder.fault(error, 'refresh', key))
  }
}

async function raceTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(resolve, ms, TIMED_OUT)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
