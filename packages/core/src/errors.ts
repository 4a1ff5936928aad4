/**
 * Stable error codes of `@cache/core`. Check errors by `code` (or with {@link isCacheError}),
 * never with `instanceof`: two installed copies of the package break `instanceof`.
 */
export const errors = Object.freeze({
  /** An option passed to a factory or method is invalid. Thrown at setup, never at request time. */
  ERR_CACHE_INVALID_OPTION: 'ERR_CACHE_INVALID_OPTION',
  /** A duration such as `'5m'` could not be parsed, or is negative / not finite. */
  ERR_CACHE_INVALID_DURATION: 'ERR_CACHE_INVALID_DURATION',
  /** `hashKey` or a key builder met input it refuses: NaN, Infinity, functions, symbols, cycles, too deep. */
  ERR_CACHE_INVALID_KEY_INPUT: 'ERR_CACHE_INVALID_KEY_INPUT',
  /** The codec cannot encode a value (functions, symbols, class instances it does not know...). Nothing was written. */
  ERR_CACHE_UNENCODABLE_VALUE: 'ERR_CACHE_UNENCODABLE_VALUE',
  /** Stored bytes are corrupted, foreign or of an unknown codec version. Surfaces as a miss plus an `error` event. */
  ERR_CACHE_DECODE: 'ERR_CACHE_DECODE',
  /** The cache was closed with `close()` and cannot be used any more. */
  ERR_CACHE_CLOSED: 'ERR_CACHE_CLOSED',
  /** A store operation failed (connection lost, command error). Counted and emitted; never thrown at a `getOrSet` caller. */
  ERR_CACHE_STORE: 'ERR_CACHE_STORE',
  /** A store operation exceeded its deadline. */
  ERR_CACHE_TIMEOUT: 'ERR_CACHE_TIMEOUT',
  /**
   * An entry point was loaded (or a feature used) without the optional peer dependency it needs:
   * `@cache/core/redis` without `ioredis`, `@cache/core/keyv` without `keyv`. The message names
   * the package to install.
   */
  ERR_CACHE_MISSING_PEER: 'ERR_CACHE_MISSING_PEER',
  /** The circuit breaker is open: the remote store is not called until the next probe. */
  ERR_CACHE_CIRCUIT_OPEN: 'ERR_CACHE_CIRCUIT_OPEN',
  /**
   * More invalidations waited for an unreachable store than `remote.outboxSize` allows. They were
   * replaced by one clear of the whole namespace, and nothing of the namespace is read from the
   * store until that clear has reached it.
   */
  ERR_CACHE_OUTBOX_OVERFLOW: 'ERR_CACHE_OUTBOX_OVERFLOW',
} as const)

/** Union of every stable error code. */
export type CacheErrorCode = (typeof errors)[keyof typeof errors]

/** Options accepted by {@link CacheError}. */
export interface CacheErrorOptions {
  /** The underlying error, if any. */
  cause?: unknown
}

/**
 * The one error class of the toolkit. Every error carries a stable `ERR_CACHE_*` code and,
 * where there is one, the underlying `cause`.
 */
export class CacheError extends Error {
  /** Stable machine-readable code, one of {@link errors}. */
  readonly code: CacheErrorCode

  constructor(code: CacheErrorCode, message: string, options?: CacheErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'CacheError'
    this.code = code
  }
}

/**
 * True when `error` is a {@link CacheError} (by shape, so it works across installed copies),
 * optionally with the given code.
 */
export function isCacheError(error: unknown, code?: CacheErrorCode): error is CacheError {
  if (error === null || typeof error !== 'object') return false
  const c = (error as { code?: unknown }).code
  if (typeof c !== 'string' || !c.startsWith('ERR_CACHE_')) return false
  return code === undefined || c === code
}
