/** A promise with its resolve/reject exposed, to hold a loader open in a test. */
export function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

/** Lets pending microtasks and immediate callbacks run. */
export const tick = () => new Promise((r) => setImmediate(r))
