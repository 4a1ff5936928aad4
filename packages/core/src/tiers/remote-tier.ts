import { CacheError, errors, isCacheError } from '../errors.js'
import type { CacheStore } from '../stores/store.js'
import { type BreakerOptions, type BreakerState, CircuitBreaker } from './circuit-breaker.js'
import { DeadlineBuckets } from './deadline.js'

/** Fault handling around the remote store. */
export interface RemoteTierOptions {
  /**
   * Deadline of every store call in ms. A call past it is abandoned (its late answer ignored).
   * @default 250
   */
  timeout: number
  /** Circuit breaker settings. */
  breaker: BreakerOptions
}

/**
 * L2 guard: puts a deadline on every store call and a circuit breaker in front of the store, and
 * turns every failure into a `CacheError` (`ERR_CACHE_TIMEOUT`, `ERR_CACHE_CIRCUIT_OPEN`,
 * `ERR_CACHE_STORE`) for the cache to count and emit. It never decides to hide an error: the
 * cache does, per operation (reads fail open, invalidations are reported).
 */
export class RemoteTier {
  readonly store: CacheStore
  readonly #options: RemoteTierOptions
  readonly #breaker: CircuitBreaker
  readonly #deadlines: DeadlineBuckets

  constructor(store: CacheStore, options: RemoteTierOptions) {
    this.store = store
    this.#options = options
    this.#breaker = new CircuitBreaker(options.breaker)
    this.#deadlines = new DeadlineBuckets(options.timeout)
  }

  /** State of the circuit breaker. */
  get breakerState(): BreakerState {
    return this.#breaker.state
  }

  /** Runs `fn` against the store under the deadline and the breaker. */
  async call<T>(operation: string, fn: (store: CacheStore) => Promise<T>): Promise<T> {
    if (!this.#breaker.allow()) {
      throw new CacheError(
        errors.ERR_CACHE_CIRCUIT_OPEN,
        `${this.store.name}: circuit open, ${operation} skipped`,
      )
    }
    let work: Promise<T>
    try {
      work = fn(this.store)
    } catch (error) {
      work = Promise.reject(error)
    }
    try {
      const result = await this.#deadlines.race(
        work,
        () => `${this.store.name}: ${operation} exceeded ${this.#options.timeout} ms`,
      )
      this.#breaker.success()
      return result
    } catch (error) {
      this.#breaker.failure()
      if (isCacheError(error, errors.ERR_CACHE_TIMEOUT)) throw error
      throw new CacheError(
        errors.ERR_CACHE_STORE,
        `${this.store.name}: ${operation} failed: ${(error as Error)?.message}`,
        {
          cause: error,
        },
      )
    }
  }
}
