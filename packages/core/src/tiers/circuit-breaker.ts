/** `closed`: calls flow. `open`: calls are refused until the probe time. `half-open`: one probe call is in flight. */
export type BreakerState = 'closed' | 'open' | 'half-open'

/** Circuit breaker settings. */
export interface BreakerOptions {
  /**
   * Consecutive failures that open the breaker.
   * @default 5
   */
  threshold: number
  /**
   * How long the breaker stays open before one probe call is let through, in ms.
   * @default 2000
   */
  resetAfter: number
}

/**
 * Stops calling a dead remote store and probes it again later, so a Redis outage costs one
 * refused promise per call instead of one deadline per call.
 */
export class CircuitBreaker {
  #state: BreakerState = 'closed'
  #failures = 0
  #openedAt = 0
  readonly #options: BreakerOptions
  readonly #onChange: ((state: BreakerState) => void) | undefined

  constructor(options: BreakerOptions, onChange?: (state: BreakerState) => void) {
    this.#options = options
    this.#onChange = onChange
  }

  /** Current state (an open breaker past its reset time reports `open` until a call probes). */
  get state(): BreakerState {
    return this.#state
  }

  /** True when a call may go through now; moves an expired open breaker to half-open (one probe). */
  allow(now?: number): boolean {
    if (this.#state === 'closed') return true
    // The clock is read only when open: a closed breaker costs one comparison per call.
    if (this.#state === 'open' && (now ?? Date.now()) - this.#openedAt >= this.#options.resetAfter) {
      this.#set('half-open')
      return true
    }
    return false
  }

  /** Records a successful call. */
  success(): void {
    this.#failures = 0
    if (this.#state !== 'closed') this.#set('closed')
  }

  /** Records a failed call. */
  failure(now = Date.now()): void {
    this.#failures++
    if (
      this.#state === 'half-open' ||
      (this.#state === 'closed' && this.#failures >= this.#options.threshold)
    ) {
      this.#openedAt = now
      this.#set('open')
    }
  }

  #set(state: BreakerState): void {
    this.#state = state
    this.#onChange?.(state)
  }
}
