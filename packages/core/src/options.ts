import { type ByteSize, type Duration, parseBytes, parseDuration, parseOptionalDuration } from './duration.js'
import { CacheError, errors } from './errors.js'
import { assertNamespace } from './keys/key-layout.js'
import { assertKnownOptions, optionKeys } from './known-options.js'
import { type CacheLogger, resolveLogger } from './logger.js'
import {
  type MemoryOptions,
  type ResolvedMemoryOptions,
  resolveMemoryOptions,
} from './stores/memory-options.js'
import { type CacheStore, STORE_CONTRACT_VERSION } from './stores/store.js'
import type { RemoteTierOptions } from './tiers/remote-tier.js'

/** Options of {@link createCache}. Every option is validated at setup: a bad one throws `ERR_CACHE_INVALID_OPTION`. */
export interface CacheOptions {
  /**
   * Root namespace, the prefix of every key (`'app'` gives keys `app:<key>`). Letters, digits, `_`, `-`, `.`.
   * @default 'cache'
   */
  namespace?: string
  /**
   * Default time to live: ms or a duration string (`'10m'`); `'forever'` never expires.
   * @default '5m'
   */
  ttl?: Duration
  /**
   * Random spread applied to every TTL, as a fraction: `0.1` gives ±10%, so a wave of entries
   * written together does not expire together.
   * @default 0
   */
  ttlJitter?: number
  /**
   * How long an expired entry is kept for stale serving (grace / stale-if-error, RFC 5861 §4).
   * `false` or `0` disables it.
   * @default false
   */
  grace?: Duration | false
  /**
   * Serve a stale entry (within grace) at once and refresh it in the background (RFC 5861 §3).
   * @default false
   */
  staleWhileRevalidate?: boolean
  /**
   * Soft timeout of `getOrSet` loaders: past it, a stale value (within grace) is returned while
   * the loader finishes in the background. Without a stale value the caller waits.
   * @default undefined (wait for the loader)
   */
  timeout?: Duration
  /** L1 memory tier bounds, or `false` for no L1. @default {} (10,000 entries, 64 MB) */
  memory?: MemoryOptions | false
  /** Optional L2 store shared by processes (RedisStore, KeyvStore) or any store of the contract. @default undefined */
  store?: CacheStore
  /**
   * Compress encoded values larger than this before they reach the store.
   * @default false
   */
  compressThreshold?: ByteSize | false
  /**
   * Invalidation bus between the processes sharing the store (Redis pub/sub for `RedisStore`):
   * `delete`, `invalidateTags`, `clear` and overwriting `set` drop the L1 copies of every other
   * process. Created when the store is shared and can make one.
   * @default true
   */
  bus?: boolean
  /**
   * Cross-process stampede lease (stores that support it, e.g. `RedisStore`): one process loads
   * a cold key while the others wait for its value. `false` disables it.
   */
  lease?: LeaseOptions | false
  /**
   * Where the cache reports a store outage (one `warn` per outage, with its cause and the store's
   * address without password) and its end (one `info` line). Any object with `warn(message)` and
   * `info(message)`: `console`, pino, winston, Fastify's `app.log`. `false` turns it off.
   * @default console (console.warn and console.info)
   */
  logger?: CacheLogger | false
  /** Fault handling around the L2 store. @default {} */
  remote?: RemoteOptions
}

/** The `lease` option of {@link CacheOptions}: the cross-process stampede lease. */
export interface LeaseOptions {
  /**
   * Longest time a leader holds the lease. The lease itself lives about a second
   * (`max(1 s, 4 × remote.timeout)`) and the leader refreshes it while it loads, up to this: a
   * crashed leader is replaced in about a second, a slower one after this.
   * @default '10s'
   */
  ttl?: Duration
  /** How long a waiter waits for the leader before running the loader itself. @default '10s' */
  wait?: Duration
}

/** The `remote` option of {@link CacheOptions}: fault handling around the L2 store. */
export interface RemoteOptions {
  /**
   * Deadline of every L2 call, and the budget of one `getOrSet` across all its L2 calls (read,
   * lease, write): during a stall a cold request waits about this long in all, not once per call.
   * @default 250
   */
  timeout?: Duration
  /**
   * How long a call made before the store's first connection (right after `createCache`) waits
   * for it, before its own `timeout` starts. A first attempt that fails ends the wait at once.
   * After the first connection, calls while disconnected fail fast. `0` does not wait.
   * @default '1s'
   */
  connectTimeout?: Duration
  /** Consecutive L2 failures that open the circuit breaker. @default 5 */
  breakerThreshold?: number
  /** How long the breaker stays open before a probe. @default '2s' */
  breakerResetAfter?: Duration
  /**
   * Most invalidations (keys + tags + namespace prefixes) kept while the store cannot be
   * reached; they are replayed in order when it answers again, and their keys and tags are not
   * read from it until then. Past this bound they are replaced by one clear of the whole
   * namespace (an `ERR_CACHE_OUTBOX_OVERFLOW` error event), and no L2 value of the namespace
   * is served until that clear has reached the store.
   * @default 10_000
   */
  outboxSize?: number
}

// The compiler keeps each list equal to its interface's keys (see optionKeys).
const CACHE_OPTIONS = optionKeys<CacheOptions>({
  namespace: true,
  ttl: true,
  ttlJitter: true,
  grace: true,
  staleWhileRevalidate: true,
  timeout: true,
  memory: true,
  store: true,
  compressThreshold: true,
  bus: true,
  lease: true,
  logger: true,
  remote: true,
})
const LEASE_OPTIONS = optionKeys<LeaseOptions>({ ttl: true, wait: true })
const REMOTE_OPTIONS = optionKeys<RemoteOptions>({
  timeout: true,
  connectTimeout: true,
  breakerThreshold: true,
  breakerResetAfter: true,
  outboxSize: true,
})

/** {@link CacheOptions} validated and resolved. */
export interface ResolvedCacheOptions {
  namespace: string
  ttl: number
  ttlJitter: number
  grace: number
  staleWhileRevalidate: boolean
  timeout: number | undefined
  memory: ResolvedMemoryOptions | undefined
  store: CacheStore | undefined
  compressThreshold: number | undefined
  remote: RemoteTierOptions
  logger: CacheLogger | undefined
  outboxSize: number
  bus: boolean
  lease: { ttl: number; wait: number } | undefined
}

/** Validates `jitter` (a fraction in [0, 1)). */
export function assertJitter(jitter: unknown): asserts jitter is number {
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter < 1)) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `ttlJitter must be a number in [0, 1), got ${String(jitter)}`,
    )
  }
}

/** Validates and resolves {@link CacheOptions}. */
export function resolveCacheOptions(options: CacheOptions = {}): ResolvedCacheOptions {
  if (options === null || typeof options !== 'object') {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'createCache expects an options object')
  }
  assertKnownOptions(options, CACHE_OPTIONS, 'createCache options')
  const lease = options.lease === false ? false : nested(options.lease, 'lease', LEASE_OPTIONS, ' or false')
  const remote = nested(options.remote, 'remote', REMOTE_OPTIONS) ?? {}
  const namespace = options.namespace ?? 'cache'
  assertNamespace(namespace)
  const ttlJitter = options.ttlJitter ?? 0
  assertJitter(ttlJitter)
  const store = options.store
  if (store !== undefined) {
    if (typeof store !== 'object' || store === null || typeof store.get !== 'function') {
      throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'store must implement the CacheStore contract')
    }
    if (store.contractVersion !== STORE_CONTRACT_VERSION) {
      throw new CacheError(
        errors.ERR_CACHE_INVALID_OPTION,
        `store ${store.name} implements contract v${String(store.contractVersion)}, this core needs v${STORE_CONTRACT_VERSION}`,
      )
    }
  }
  const threshold = remote.breakerThreshold ?? 5
  if (!Number.isInteger(threshold) || threshold < 1) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `remote.breakerThreshold must be a positive integer`,
    )
  }
  const outboxSize = remote.outboxSize ?? 10_000
  if (!Number.isInteger(outboxSize) || outboxSize < 2) {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'remote.outboxSize must be an integer >= 2')
  }
  const remoteTimeout = parseDuration(remote.timeout ?? 250, 'remote.timeout')
  if (!Number.isFinite(remoteTimeout) || remoteTimeout <= 0) {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'remote.timeout must be a finite positive duration')
  }
  const connectTimeout = parseDuration(remote.connectTimeout ?? '1s', 'remote.connectTimeout')
  if (!Number.isFinite(connectTimeout)) {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'remote.connectTimeout must be a finite duration')
  }
  return {
    namespace,
    ttl: parseDuration(options.ttl ?? '5m', 'ttl'),
    ttlJitter,
    grace: options.grace === false || options.grace === undefined ? 0 : parseDuration(options.grace, 'grace'),
    staleWhileRevalidate: options.staleWhileRevalidate ?? false,
    timeout: parseOptionalDuration(options.timeout, 'timeout'),
    memory: options.memory === false ? undefined : resolveMemoryOptions(options.memory ?? {}, 'memory'),
    store,
    compressThreshold:
      options.compressThreshold === undefined || options.compressThreshold === false
        ? undefined
        : parseBytes(options.compressThreshold, 'compressThreshold'),
    outboxSize,
    bus: options.bus ?? true,
    logger: resolveLogger(options.logger),
    lease:
      lease === false
        ? undefined
        : {
            ttl: parseDuration(lease?.ttl ?? '10s', 'lease.ttl'),
            wait: parseDuration(lease?.wait ?? '10s', 'lease.wait'),
          },
    remote: {
      timeout: remoteTimeout,
      connectTimeout,
      breaker: {
        threshold,
        resetAfter: parseDuration(remote.breakerResetAfter ?? '2s', 'remote.breakerResetAfter'),
      },
    },
  }
}

/**
 * A nested options object of {@link CacheOptions}: `undefined` or an object with known keys.
 * `true`, a number or an array is refused rather than read as "the defaults".
 */
function nested<T extends object>(
  value: T | undefined,
  name: string,
  known: readonly string[],
  orElse = '',
): T | undefined {
  if (value === undefined) return value
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `${name} must be an object${orElse}, got ${JSON.stringify(value)}`,
    )
  }
  assertKnownOptions(value, known, `${name} options`)
  return value
}
