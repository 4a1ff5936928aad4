/** One call timed by a {@link BusyClock}. */
export interface BusyShare {
  /** Seconds of busy time attributed to this call so far. */
  seconds: number
}

/**
 * The busy time of one model, shared among the calls that overlap. While n calls run at once,
 * each accrues 1/n of the elapsed time, so the shares of all calls add up to the time the model
 * was busy (the union of their intervals) and never to more: a call that awaits while another
 * computes is not billed for the other's work. Timing each call's whole `await` instead counts
 * overlapping time once per call, and under concurrency reports more compute than wall time.
 */
export class BusyClock {
  readonly #running = new Set<BusyShare>()
  #last = 0

  /** Starts timing a call. */
  begin(now = performance.now()): BusyShare {
    this.#advance(now)
    const share = { seconds: 0 }
    this.#running.add(share)
    return share
  }

  /** Stops timing `share`; returns its seconds. */
  end(share: BusyShare, now = performance.now()): number {
    this.#advance(now)
    this.#running.delete(share)
    return share.seconds
  }

  /** Times `fn` as one call; resolves with its result and its share of the busy time. */
  async time<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number }> {
    const share = this.begin()
    try {
      const value = await fn()
      return { value, seconds: this.end(share) }
    } catch (error) {
      this.end(share)
      throw error
    }
  }

  #advance(now: number): void {
    const n = this.#running.size
    if (n > 0) {
      const each = (now - this.#last) / 1000 / n
      for (const share of this.#running) share.seconds += each
    }
    this.#last = now
  }
}

/** One {@link BusyClock} per model id. */
export class BusyClocks {
  readonly #clocks = new Map<string, BusyClock>()

  /** The clock of `model`. */
  of(model: string): BusyClock {
    let clock = this.#clocks.get(model)
    if (clock === undefined) this.#clocks.set(model, (clock = new BusyClock()))
    return clock
  }
}
