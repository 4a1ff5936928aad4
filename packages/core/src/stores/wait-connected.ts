/** Something that connects and says so: a {@link ConnectableStore}, an invalidation bus. */
export interface ConnectionSource {
  /** True while connected. */
  readonly connected: boolean
  /** Adds a connection listener; returns a function that removes it. */
  onConnectionChange(listener: (connected: boolean) => void): () => void
}

/**
 * Resolves once `source` is connected (at once if it is); rejects with `timedOut()` after
 * `timeout` ms. The listener and the timer are removed either way.
 */
export function waitConnected(
  source: ConnectionSource,
  timeout: number,
  timedOut: () => Error,
): Promise<void> {
  if (source.connected) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const off = source.onConnectionChange((connected) => {
      if (!connected) return
      clearTimeout(timer)
      off()
      resolve()
    })
    const timer = setTimeout(() => {
      off()
      reject(timedOut())
    }, timeout)
  })
}
