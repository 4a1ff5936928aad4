/**
 * Callbacks waiting for news of a key: a lease waiter sleeps until the leader's write is
 * announced on the bus (or its poll interval passes), instead of polling L2 at a fixed rate.
 */
export class KeyWaiters {
  readonly #waiters = new Map<string, Set<() => void>>()

  /** Wakes whoever waits for news of `key`. */
  wake(key: string): void {
    const waiters = this.#waiters.get(key)
    if (waiters === undefined) return
    this.#waiters.delete(key)
    for (const w of waiters) w()
  }

  /** Resolves on news of `key` ({@link wake}) or after `ms`, whichever comes first. */
  wait(key: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      let waiters = this.#waiters.get(key)
      if (waiters === undefined) this.#waiters.set(key, (waiters = new Set()))
      const done = () => {
        clearTimeout(timer)
        waiters.delete(done)
        resolve()
      }
      const timer = setTimeout(done, ms)
      waiters.add(done)
    })
  }
}
