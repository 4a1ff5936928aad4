import type { StatsSnapshot } from './usage-stats.js'

/** One sample of the rolling series: the cumulative counters at `time`. */
export interface HistoryPoint {
  /** When it was taken, ms since the epoch. */
  time: number
  /** Hit ratio so far. */
  hitRatio: number
  /** Items answered from the cache so far. */
  hits: number
  /** Items not in the cache so far. */
  misses: number
  /** Items computed so far. */
  itemsComputed: number
  /** Model busy time so far, seconds. */
  computeSeconds: number
}

/** Settings of {@link StatsHistory}. */
export interface StatsHistoryOptions {
  /** Time between samples, ms. @default 5000 */
  intervalMs: number
  /** Samples kept; older ones are dropped. @default 720 (one hour at 5 s) */
  maxPoints: number
}

/**
 * A rolling series of the stats, kept by the server so that a dashboard opened now shows the
 * last hour at once instead of starting empty. Samples hold cumulative counters; a reader takes
 * differences for per-interval figures. The timer never keeps the process alive.
 */
export class StatsHistory {
  readonly #source: () => StatsSnapshot
  readonly #options: StatsHistoryOptions
  readonly #points: HistoryPoint[] = []
  #timer: NodeJS.Timeout | undefined

  constructor(source: () => StatsSnapshot, options: StatsHistoryOptions) {
    this.#source = source
    this.#options = options
  }

  /** Time between samples, ms. */
  get intervalMs(): number {
    return this.#options.intervalMs
  }

  /** Takes one sample now. */
  sample(): void {
    const s = this.#source()
    this.#points.push({
      time: s.time,
      hitRatio: s.hitRatio,
      hits: s.hits,
      misses: s.misses,
      itemsComputed: s.itemsComputed,
      computeSeconds: s.computeSeconds,
    })
    if (this.#points.length > this.#options.maxPoints)
      this.#points.splice(0, this.#points.length - this.#options.maxPoints)
  }

  /** The samples, oldest first (a copy). */
  points(): HistoryPoint[] {
    return [...this.#points]
  }

  /** Samples now and then every `intervalMs` until {@link StatsHistory.stop}. */
  start(): void {
    this.sample()
    this.#timer ??= setInterval(() => this.sample(), this.#options.intervalMs)
    this.#timer.unref()
  }

  /** Stops sampling. */
  stop(): void {
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}
