/** What {@link Budget.wait} resolves to when the budget ran out first. */
export const OUT_OF_BUDGET = Symbol('out of budget')

/**
 * The time one operation may spend waiting for the store, across all its calls (`getOrSet`: the
 * L2 read, the lease, the write). Each call has its own deadline (`remote.timeout`), but a cold
 * request during a stall would otherwise wait one deadline per call. Only time spent waiting for
 * the store is charged: the loader's time and a lease waiter's sleeps are not.
 */
export class Budget {
  #left: number

  constructor(ms: number) {
    this.#left = ms
  }

  /** Time left, in ms (0 or less: spent). */
  get left(): number {
    return this.#left
  }

  /** Charges the time since `startedAt` (a `Date.now()`). */
  charge(startedAt: number): void {
    this.#left -= Date.now() - startedAt
  }

  /**
   * Waits for `work` at most the time left and charges what it waited. Resolves to
   * {@link OUT_OF_BUDGET} when the budget runs out first (at once when it is already spent); the
   * work goes on unobserved, so it must handle its own failure.
   */
  async wait<T>(work: Promise<T>): Promise<T | typeof OUT_OF_BUDGET> {
    if (this.#left <= 0) return OUT_OF_BUDGET
    const startedAt = Date.now()
    let timer: NodeJS.Timeout | undefined
    const out = new Promise<typeof OUT_OF_BUDGET>((resolve) => {
      timer = setTimeout(resolve, this.#left, OUT_OF_BUDGET)
    })
    let spent = false
    try {
      const result = await Promise.race([work, out])
      spent = result === OUT_OF_BUDGET
      return result
    } finally {
      clearTimeout(timer)
      this.charge(startedAt)
      // The timer's clock is not Date.now(): it can fire a millisecond before Date.now() says the
      // time is up. Its firing is what spends the budget.
      if (spent) this.#left = Math.min(this.#left, 0)
    }
  }
}
