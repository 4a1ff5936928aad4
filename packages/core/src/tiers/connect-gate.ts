import { describeError } from '../describe-error.js'
import { CacheError, errors } from '../errors.js'
import type { ConnectableStore } from '../stores/store.js'
import { DeadlineBuckets, type Deadlined } from './deadline.js'

/** A call held until the first connection: `go` sends it, `fail` reports why it was not sent. */
class Waiter implements Deadlined {
  settled = false
  bucket: Set<Deadlined> | undefined = undefined

  constructor(
    readonly gate: ConnectGate,
    readonly operation: string,
    readonly go: () => void,
    readonly fail: (error: CacheError) => void,
  ) {}

  expire(): void {
    this.gate.expired(this)
  }
}

/**
 * Holds the calls made before a store's first connection (a `RedisStore` right after
 * `createCache`), so they wait for it instead of failing: ioredis runs without an offline queue,
 * and would refuse them at once. Each waits at most `timeout` ms, then fails and is never sent
 * late. The first connection sends them; a first failed attempt fails them with its cause. The
 * gate then stays open for good: later outages fail fast, the store's usual behaviour.
 */
export class ConnectGate {
  readonly #store: ConnectableStore
  readonly #deadlines: DeadlineBuckets
  readonly #waiters = new Set<Waiter>()
  #off: (() => void) | undefined

  constructor(store: ConnectableStore, timeout: number) {
    this.#store = store
    this.#deadlines = new DeadlineBuckets(timeout)
    this.#off = store.onConnectionChange((connected, error) => this.#release(connected, error))
  }

  /** True while calls must wait (no connection yet, no failed attempt yet). */
  get closed(): boolean {
    return this.#off !== undefined
  }

  /** Holds a call until the first connection: then `go`; or `fail` on a failed attempt or past the timeout. */
  wait(operation: string, go: () => void, fail: (error: CacheError) => void): void {
    // A store that connects lazily (ioredis `lazyConnect`) would wait for a command that never comes.
    if (this.#waiters.size === 0) this.#store.ready(this.#deadlines.ms).catch(() => {})
    const waiter = new Waiter(this, operation, go, fail)
    this.#deadlines.add(waiter)
    this.#waiters.add(waiter)
  }

  /** @internal A waiter past its timeout. */
  expired(waiter: Waiter): void {
    this.#waiters.delete(waiter)
    const cause = this.#store.connectionError
    waiter.fail(
      new CacheError(
        errors.ERR_CACHE_TIMEOUT,
        `${this.#store.name}: ${waiter.operation} waited ${this.#deadlines.ms} ms for the first connection to ${this.#store.address}`,
        { cause },
      ),
    )
  }

  #release(connected: boolean, error: Error | undefined): void {
    this.#off?.()
    this.#off = undefined
    const waiters = [...this.#waiters]
    this.#waiters.clear()
    for (const waiter of waiters) {
      if (!this.#deadlines.settle(waiter)) continue
      if (connected) waiter.go()
      else
        waiter.fail(
          new CacheError(
            errors.ERR_CACHE_STORE,
            `${this.#store.name}: ${waiter.operation} failed: ${error === undefined ? 'connection failed' : describeError(error)}`,
            { cause: error },
          ),
        )
    }
  }
}
