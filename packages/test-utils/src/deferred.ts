/** A promise with its `resolve` at hand (`Promise.withResolvers`, which Node 20 lacks). */
export interface Deferred<T = void> {
  readonly promise: Promise<T>
  resolve(value: T): void
  /** True once `resolve` was called. */
  readonly settled: boolean
}

/**
 * A promise the test resolves when it chooses: a handler that awaits `gate.promise` stays in
 * flight until the test has seen what it needs (a client gone, a second request waiting).
 *
 * @example
 * const started = deferred(); const gate = deferred()
 * app.get('/slow', async () => { started.resolve(); await gate.promise; return { ok: true } })
 */
export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void
  let settled = false
  const promise = new Promise<T>((r) => {
    resolve = r
  })
  return {
    promise,
    resolve(value: T) {
      settled = true
      resolve(value)
    },
    get settled() {
      return settled
    },
  }
}
