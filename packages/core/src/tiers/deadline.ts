import { CacheError, errors } from '../errors.js'

interface Pending {
  reject: (error: Error) => void
  /** Builds the timeout message only when a call does time out. */
  describe: () => string
}

/**
 * Deadlines for many concurrent calls with few timers: calls are grouped in 5 ms buckets of
 * their deadline, one timer per bucket. A burst of 1,000 concurrent store calls arms one timer
 * instead of 1,000 (a timer per call costs about as much as a Redis GET on loopback).
 */
export class DeadlineBuckets {
  readonly #buckets = new Map<number, Set<Pending>>()
  readonly #ms: number

  constructor(ms: number) {
    this.#ms = ms
  }

  /**
   * Races `work` against the deadline; the loser is ignored (a late answer is dropped, a late
   * failure swallowed).
   */
  race<T>(work: Promise<T>, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Round up: a call never gets less than its full deadline.
      const at = Math.ceil((Date.now() + this.#ms) / 5) * 5
      let bucket = this.#buckets.get(at)
      if (bucket === undefined) {
        bucket = new Set()
        this.#buckets.set(at, bucket)
        const timer = setTimeout(() => this.#expire(at), at - Date.now())
        timer.unref?.()
      }
      const pending: Pending = { reject, describe }
      bucket.add(pending)
      const done = () => bucket.delete(pending)
      work.then(
        (value) => {
          done()
          resolve(value)
        },
        (error) => {
          done()
          reject(error)
        },
      )
    })
  }

  #expire(at: number): void {
    const bucket = this.#buckets.get(at)
    this.#buckets.delete(at)
    if (bucket === undefined) return
    for (const p of bucket) p.reject(new CacheError(errors.ERR_CACHE_TIMEOUT, p.describe()))
  }
}
