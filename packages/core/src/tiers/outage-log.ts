import { describeError } from '../describe-error.js'
import type { CacheLogger } from '../logger.js'
import type { ConnectableStore } from '../stores/store.js'

/**
 * Logs a store's outages from its connection events: one warning per outage, with the cause and
 * the address (never a password), and one line when it is back. Connection events, not the
 * circuit breaker: they carry the cause, come once per attempt rather than once per call, and
 * report a recovery even when no traffic probes the store. Only the store's own connection is
 * followed: the invalidation bus connects to the same server and fails with it, so following
 * both would log every outage twice.
 *
 * A connection that closes cleanly and comes straight back is no outage: the warning waits for
 * a failed attempt (refused, unknown host, bad password, timeout), which has a cause to show.
 */
export class OutageLog {
  readonly #store: ConnectableStore
  readonly #logger: CacheLogger
  readonly #off: () => void
  /** When the connection was lost (or first failed); `undefined` while connected. */
  #lostAt: number | undefined
  #warned = false

  constructor(store: ConnectableStore, logger: CacheLogger) {
    this.#store = store
    this.#logger = logger
    this.#off = store.onConnectionChange((connected, error) => this.#onChange(connected, error))
    // A store that failed before this cache was created.
    if (!store.connected && store.connectionError !== undefined) this.#onChange(false, store.connectionError)
  }

  /** Stops following the store (the cache is closing: its own disconnection is no outage). */
  close(): void {
    this.#off()
  }

  #onChange(connected: boolean, error: Error | undefined): void {
    const store = this.#store
    if (connected) {
      if (this.#warned) {
        const seconds = ((Date.now() - (this.#lostAt ?? Date.now())) / 1000).toFixed(1)
        this.#logger.info(`@cache/core: ${store.name} at ${store.address} is back after ${seconds} s`)
      }
      this.#warned = false
      this.#lostAt = undefined
      return
    }
    this.#lostAt ??= Date.now()
    if (this.#warned || error === undefined) return
    this.#warned = true
    this.#logger.warn(
      `@cache/core: ${store.name} at ${store.address} is unavailable (${describeError(error)}); ` +
        'serving from memory and loaders until it is back',
    )
  }
}
