/** One call under a deadline: settled once, by its answer or by the deadline, whichever is first. */
export interface Deadlined {
  /** True once answered or expired. */
  settled: boolean
  /** The bucket holding the call while it waits (set by {@link DeadlineBuckets.add}). */
  bucket: Set<Deadlined> | undefined
  /** Called once if the deadline passes first. */
  expire(): void
}

/**
 * Deadlines for many concurrent calls with few timers: calls are grouped in 5 ms buckets of
 * their deadline, one timer per bucket. A burst of 1,000 concurrent store calls arms one timer
 * instead of 1,000 (a timer per call costs about as much as a Redis GET on loopback).
 */
export class DeadlineBuckets {
  readonly #buckets = new Map<number, Set<Deadlined>>()
  readonly #ms: number
  // The bucket most calls land in: a burst reuses it without a Map lookup.
  #lastAt = 0
  #last: Set<Deadlined> | undefined

  constructor(ms: number) {
    this.#ms = ms
  }

  /** The deadline in ms. */
  get ms(): number {
    return this.#ms
  }

  /** Starts the clock of `call`; its `expire` runs unless {@link settle} is called first. */
  add(call: Deadlined): void {
    // Round up: a call never gets less than its full deadline.
    const at = Math.ceil((Date.now() + this.#ms) / 5) * 5
    let bucket = at === this.#lastAt ? this.#last : this.#buckets.get(at)
    if (bucket === undefined) {
      bucket = new Set()
      this.#buckets.set(at, bucket)
      const timer = setTimeout(() => this.#expire(at), at - Date.now())
      timer.unref?.()
    }
    this.#lastAt = at
    this.#last = bucket
    bucket.add(call)
    call.bucket = bucket
  }

  /** Marks `call` answered; false when it was already settled (its deadline passed). */
  settle(call: Deadlined): boolean {
    if (call.settled) return false
    call.settled = true
    // Deleted at once, so a call's record dies young instead of waiting for its bucket's timer.
    call.bucket?.delete(call)
    call.bucket = undefined
    return true
  }

  #expire(at: number): void {
    const bucket = this.#buckets.get(at)
    this.#buckets.delete(at)
    if (this.#lastAt === at) {
      this.#lastAt = 0
      this.#last = undefined
    }
    if (bucket === undefined) return
    for (const call of bucket) {
      if (call.settled) continue
      call.settled = true
      call.expire()
    }
  }
}
