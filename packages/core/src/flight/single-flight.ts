/** One in-flight load. */
export interface Flight<T = unknown> {
  /** Full key being loaded. */
  readonly key: string
  /** Tags the result will carry (known up front so that tag invalidation can reach the flight). */
  readonly tags: readonly string[]
  /** Settles with the loader's result. */
  readonly promise: Promise<T>
  /**
   * Set when a `delete`, `invalidateTags`, `clear` or overwriting `set` ran after this load
   * started: the result may answer the flight's own callers but must not be stored.
   */
  invalidated: boolean
}

/**
 * Single-flight per cache instance, keyed by the full namespaced key: concurrent callers of one
 * key share one load. The map lives in the cache instance, never at module level, so two
 * caches (or two tests) never share flights.
 */
export class SingleFlight {
  readonly #flights = new Map<string, Flight>()
  /**
   * Bumped by every invalidation. A remote read that started before a bump must not fill L1:
   * it may carry the value that was just invalidated.
   */
  epoch = 0

  /** The flight for `key`, if one is running. */
  get<T>(key: string): Flight<T> | undefined {
    return this.#flights.get(key) as Flight<T> | undefined
  }

  /** Number of running flights. */
  get size(): number {
    return this.#flights.size
  }

  /**
   * Starts `run` as the flight for `key`. `run` receives the flight so it can check
   * `invalidated` before storing. The flight is removed when it settles.
   */
  start<T>(key: string, tags: readonly string[], run: (flight: Flight<T>) => Promise<T>): Flight<T> {
    const flight = { key, tags, invalidated: false } as { -readonly [K in keyof Flight<T>]: Flight<T>[K] }
    const promise = (async () => {
      try {
        return await run(flight)
      } finally {
        if (this.#flights.get(key) === flight) this.#flights.delete(key)
      }
    })()
    flight.promise = promise
    this.#flights.set(key, flight)
    return flight
  }

  /** Marks the flight of `key` invalidated and detaches it so later callers start afresh. */
  invalidateKey(key: string): void {
    this.epoch++
    const flight = this.#flights.get(key)
    if (flight === undefined) return
    flight.invalidated = true
    this.#flights.delete(key)
  }

  /** Invalidates every flight whose result would carry one of `tags`. */
  invalidateTags(tags: readonly string[]): void {
    this.epoch++
    if (this.#flights.size === 0) return
    const set = new Set(tags)
    for (const flight of [...this.#flights.values()]) {
      if (flight.tags.some((t) => set.has(t))) this.invalidateKey(flight.key)
    }
  }

  /** Invalidates every flight whose key starts with one of `prefixes`. */
  invalidatePrefixes(prefixes: readonly string[]): void {
    this.epoch++
    for (const flight of [...this.#flights.values()]) {
      if (prefixes.some((p) => flight.key.startsWith(p))) this.invalidateKey(flight.key)
    }
  }
}
