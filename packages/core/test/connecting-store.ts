import { CacheError, errors } from '../src/errors.js'
import type { CacheStore, ConnectableStore } from '../src/stores/store.js'
import { ChaosStore } from './chaos-store.js'

/**
 * A store that connects, driven by the test (a wrapper, not a mock): calls reach the real inner
 * store while connected and are refused at once otherwise (chaos mode `fail`), as ioredis does
 * without an offline queue. `connect()`, `fail(error)` and `drop(error?)` play its events.
 */
export class ConnectingStore extends ChaosStore implements ConnectableStore {
  readonly address = 'test://store'
  connected = false
  connectionError: Error | undefined
  readonly #listeners = new Set<(connected: boolean, error?: Error) => void>()

  constructor(inner: CacheStore) {
    super(inner)
    this.mode = 'fail'
  }

  connect(): void {
    this.connected = true
    this.connectionError = undefined
    this.mode = 'ok'
    this.#emit(true)
  }

  fail(error: Error): void {
    this.connectionError = error
    this.#emit(false, error)
  }

  drop(error?: Error): void {
    this.connected = false
    this.connectionError = error
    this.mode = 'fail'
    this.#emit(false, error)
  }

  onConnectionChange(listener: (connected: boolean, error?: Error) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  async ready(): Promise<void> {
    if (!this.connected)
      throw new CacheError(errors.ERR_CACHE_TIMEOUT, 'not ready', { cause: this.connectionError })
  }

  #emit(connected: boolean, error?: Error): void {
    for (const l of this.#listeners) l(connected, error)
  }
}
