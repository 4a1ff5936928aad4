/** Which tier answered or failed. */
export type TierName = 'memory' | 'remote'

/** Payloads of the events a cache emits, by event name. */
export interface CacheEvents {
  /** A fresh value was served. */
  hit: { key: string; tier: TierName }
  /** No servable value: the caller got `undefined` or the loader ran. */
  miss: { key: string }
  /** A stale value was served: background refresh (`swr`), loader failure (`error`) or soft timeout (`timeout`). */
  stale: { key: string; reason: 'swr' | 'error' | 'timeout' }
  /** A value was written. */
  set: { key: string; ttl: number; tags: readonly string[] }
  /** A key was deleted. */
  delete: { key: string }
  /** Tags were invalidated. */
  invalidate: { tags: readonly string[] }
  /** A namespace was cleared. */
  clear: { namespace: string }
  /** An error that did not reach a caller: store fault, undecodable bytes, background refresh failure. */
  error: { error: Error; key?: string; operation: string; tier?: TierName }
}

/** Name of a cache event. */
export type CacheEventName = keyof CacheEvents

/** A listener for event `E`. */
export type CacheListener<E extends CacheEventName> = (payload: CacheEvents[E]) => void

/**
 * A small typed emitter. Unlike `EventEmitter`, an `error` event with no listener does not
 * throw: store faults are counted in stats and must never crash the app. Listener exceptions
 * are caught for the same reason.
 */
export class CacheEmitter {
  readonly #listeners: { [E in CacheEventName]?: CacheListener<E>[] } = {}

  /** Adds a listener; returns a function that removes it. */
  on<E extends CacheEventName>(event: E, listener: CacheListener<E>): () => void {
    const list = (this.#listeners[event] ??= []) as CacheListener<E>[]
    list.push(listener)
    return () => this.off(event, listener)
  }

  /** Removes a listener. */
  off<E extends CacheEventName>(event: E, listener: CacheListener<E>): void {
    const list = this.#listeners[event] as CacheListener<E>[] | undefined
    if (list === undefined) return
    const i = list.indexOf(listener)
    if (i >= 0) list.splice(i, 1)
  }

  /** True when `event` has listeners, so hot paths build payloads only when someone listens. */
  has(event: CacheEventName): boolean {
    const list = this.#listeners[event]
    return list !== undefined && list.length > 0
  }

  /** Calls the listeners of `event`. */
  emit<E extends CacheEventName>(event: E, payload: CacheEvents[E]): void {
    const list = this.#listeners[event] as CacheListener<E>[] | undefined
    if (list === undefined) return
    for (const listener of [...list]) {
      try {
        listener(payload)
      } catch {
        // A throwing listener must not turn a cache hit into a failed request.
      }
    }
  }
}
