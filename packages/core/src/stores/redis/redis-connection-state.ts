import type { Cluster, Redis } from 'ioredis'
import { describeError } from '../../describe-error.js'
import { CacheError, errors } from '../../errors.js'
import { waitConnected } from '../wait-connected.js'

/** Receives connection news: `true` when connected, `false` plus the cause when not. */
export type ConnectionListener = (connected: boolean, error?: Error) => void

/**
 * Follows an ioredis client's connection from its events, and keeps the cause of a failure.
 * ioredis reports a refused or failed attempt as `error` then `close` (then `reconnecting`),
 * a bad password as `error` (`WRONGPASS`, `NOAUTH`) after `connect`, and a usable connection
 * as `ready`, never `connect` (which comes before AUTH and the ready check).
 */
export class RedisConnectionState {
  /** Where the client connects, without a password. */
  readonly address: string
  readonly #client: Redis | Cluster
  readonly #listeners = new Set<ConnectionListener>()
  #connected: boolean
  #error: Error | undefined

  constructor(client: Redis | Cluster, address: string) {
    this.#client = client
    this.address = address
    this.#connected = client.status === 'ready'
    client.on('ready', () => {
      this.#error = undefined
      this.#connected = true
      this.#emit(true)
    })
    client.on('error', (error: Error) => {
      this.#error = error
      // On a live connection an error (ECONNRESET) comes just before its `close`, which reports it.
      if (!this.#connected) this.#emit(false, error)
    })
    client.on('close', () => {
      if (!this.#connected) return
      this.#connected = false
      this.#emit(false, this.#error)
    })
  }

  /** True while the client is connected and ready. */
  get connected(): boolean {
    return this.#connected
  }

  /** The last connection error while not connected. */
  get error(): Error | undefined {
    return this.#connected ? undefined : this.#error
  }

  /** Adds a listener; returns a function that removes it. */
  onConnectionChange(listener: ConnectionListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  /** Resolves once connected; after `timeout` ms rejects with `ERR_CACHE_TIMEOUT`, caused by the last connection error. */
  ready(timeout: number): Promise<void> {
    if (this.#connected) return Promise.resolve()
    // A client created with `lazyConnect` waits for a first command: ready() is one.
    if (this.#client.status === 'wait') this.#client.connect().catch(() => {})
    return waitConnected(this, timeout, () => {
      const cause = this.error
      return new CacheError(
        errors.ERR_CACHE_TIMEOUT,
        `redis at ${this.address} not ready after ${timeout} ms${cause ? `: ${describeError(cause)}` : ''}`,
        { cause },
      )
    })
  }

  #emit(connected: boolean, error?: Error): void {
    for (const listener of this.#listeners) listener(connected, error)
  }
}
