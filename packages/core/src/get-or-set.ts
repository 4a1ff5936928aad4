import type { CacheCore } from './cache-core.js'
import { type Duration, parseDuration } from './duration.js'
import type { CacheEntry } from './entry/entry.js'
import { isCacheError } from './errors.js'
import { beginLoad, holdLease, type LoadTicket, releaseLease } from './flight/lease.js'
import type { Flight } from './flight/single-flight.js'
import { assertKnownOptions, type OptionFlags, optionKeys } from './known-options.js'
import { storeLoaded } from './store-loaded.js'
import { Budget } from './tiers/budget.js'
import { WRITE_FLAGS, type WriteOptions } from './write-options.js'

/** What a loader receives. */
export interface LoaderContext<T> {
  /** The full namespaced key being loaded. */
  key: string
  /** The stale value, when an expired entry is still within grace. */
  stale: T | undefined
}

/** Computes a value on a miss. */
export type Loader<T> = (context: LoaderContext<T>) => T | Promise<T>

/** Options of `getOrSet`. */
export interface GetOrSetOptions extends WriteOptions {
  /** Serve a stale value at once and refresh in the background. @default the cache's `staleWhileRevalidate` */
  staleWhileRevalidate?: boolean
  /** Soft timeout: past it a stale value is returned while the loader finishes. @default the cache's `timeout` */
  timeout?: Duration
}

/**
 * Every key of {@link GetOrSetOptions}, checked both ways by the compiler (see {@link OptionFlags}).
 * Spread it into the flags of options that extend `GetOrSetOptions` (`prewarm`'s, in `@cache/ops`)
 * so their `assertKnownOptions` check follows the cache's options as they grow.
 */
export const GET_OR_SET_FLAGS = {
  ...WRITE_FLAGS,
  staleWhileRevalidate: true,
  timeout: true,
} as const satisfies OptionFlags<GetOrSetOptions>

const GET_OR_SET_OPTIONS = optionKeys<GetOrSetOptions>(GET_OR_SET_FLAGS)

/**
 * The slow path of `getOrSet`, after an L1 miss: L2, then one single flight per key. `l1Stale`
 * is an L1 entry past `expiresAt` but within grace.
 */
export async function getOrSetSlow<T>(
  core: CacheCore,
  key: string,
  loader: Loader<T>,
  opts: GetOrSetOptions | undefined,
  l1Stale: CacheEntry | undefined,
  now: number,
): Promise<T> {
  let stale = l1Stale as CacheEntry<T> | undefined
  let flight = core.flights.get<T>(key)
  // One budget for every Redis call of this request, so a stall costs one deadline, not one per call.
  const budget = new Budget(core.options.remote.timeout)
  const l2 = core.remote
  if (flight === undefined && l2 !== undefined) {
    const startedAt = Date.now()
    const read = await l2.read(key)
    budget.charge(startedAt)
    const remote = l2.count(read, now) as CacheEntry<T> | undefined
    if (remote !== undefined) {
      if (remote.expiresAt > Date.now()) {
        core.recorder.hit(key, 'remote')
        return remote.value
      }
      if (stale === undefined || remote.createdAt > stale.createdAt) stale = remote
    }
    flight = core.flights.get<T>(key)
  }
  flight ??= startLoad(core, key, loader, opts, stale, budget)

  const swr = opts?.staleWhileRevalidate ?? core.options.staleWhileRevalidate
  if (stale !== undefined && swr) {
    background(core, flight, key)
    core.recorder.stale(key, 'swr')
    return stale.value
  }
  const timeoutOpt =
    opts?.timeout === undefined ? core.options.timeout : parseDuration(opts.timeout, 'timeout')
  try {
    if (stale !== undefined && timeoutOpt !== undefined) {
      const raced = await raceTimeout(flight.promise, timeoutOpt)
      if (raced === TIMED_OUT) {
        background(core, flight, key)
        core.recorder.stale(key, 'timeout')
        return stale.value
      }
      core.recorder.miss(key)
      return raced as T
    }
    const value = await flight.promise
    core.recorder.miss(key)
    return value
  } catch (error) {
    // Grace / stale-if-error (RFC 5861 §4): a failed refresh serves the stale value.
    if (stale !== undefined && stale.staleUntil > Date.now()) {
      core.recorder.stale(key, 'error')
      return stale.value
    }
    core.recorder.miss(key)
    throw error
  }
}

function startLoad<T>(
  core: CacheCore,
  key: string,
  loader: Loader<T>,
  opts: GetOrSetOptions | undefined,
  stale: CacheEntry<T> | undefined,
  budget: Budget,
): Flight<T> {
  // Options are validated before the loader runs, so bad options fail fast and cost no load.
  // Here, on a miss, hits never pay for it.
  if (opts !== undefined) assertKnownOptions(opts, GET_OR_SET_OPTIONS, 'getOrSet options')
  core.entries.make(undefined, opts)
  const tags = opts?.tags ?? []
  return core.flights.start<T>(key, tags, async (flight) => {
    let ticket: LoadTicket = { token: undefined, fence: undefined }
    if (core.remote !== undefined) {
      const start = await beginLoad<T>(core.lease!, key, tags, budget)
      if ('value' in start) return start.value
      ticket = start.ticket
    }
    const lease = ticket.token
    const stop = lease === undefined ? undefined : holdLease(core.lease!, key, lease)
    try {
      return await loadAndStore(core, key, loader, opts, stale, flight, ticket, budget)
    } finally {
      stop?.()
      // The fenced write releases the lease itself (ticket.token is then cleared).
      if (ticket.token !== undefined) releaseLease(core.lease!, key, ticket.token)
    }
  })
}

async function loadAndStore<T>(
  core: CacheCore,
  key: string,
  loader: Loader<T>,
  opts: GetOrSetOptions | undefined,
  stale: CacheEntry<T> | undefined,
  flight: Flight<T>,
  ticket: LoadTicket,
  budget: Budget,
): Promise<T> {
  core.recorder.counters.loads++
  let value: T
  try {
    value = await loader({ key, stale: stale?.value })
  } catch (error) {
    core.recorder.counters.loadErrors++
    throw error
  }
  // An invalidation that ran after this load started wins: answer our callers, store nothing.
  if (flight.invalidated || core.closed) return value
  let entry: CacheEntry<T>
  let bytes: Uint8Array | undefined
  let size = 0
  try {
    entry = core.entries.make(value, opts)
    // Memory only: the value is held by reference, so it needs a size (and validation), not bytes.
    if (core.remote === undefined) size = core.local.size(entry)
    else bytes = core.entries.encode(entry)
  } catch (error) {
    // The value answers its callers but cannot be cached; say so instead of failing the request.
    core.recorder.fault(error, 'encode', key)
    if (!isCacheError(error)) throw error
    return value
  }
  if (bytes === undefined) core.local.write(key, entry, size)
  else await storeLoaded(core, key, entry, bytes, flight, ticket, budget)
  return value
}

/** Lets a flight finish unobserved: its failure becomes an `error` event, not an unhandled rejection. */
function background(core: CacheCore, flight: Flight, key: string): void {
  flight.promise.catch((error) => core.recorder.fault(error, 'refresh', key))
}

const TIMED_OUT = Symbol('timed out')

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
