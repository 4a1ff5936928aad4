import type { CacheCore } from './cache-core.js'
import { type Duration, parseDuration } from './duration.js'
import { CacheError, errors, isCacheError } from './errors.js'
import { assertKnownOptions, optionKeys } from './known-options.js'
import { canConnect } from './stores/store.js'
import { waitConnected } from './stores/wait-connected.js'

/** Options of `cache.ready()`. */
export interface ReadyOptions {
  /**
   * How long to wait for the connections before rejecting.
   * @default '5s'
   */
  timeout?: Duration
}

const READY_OPTIONS = optionKeys<ReadyOptions>({ timeout: true })

/**
 * Resolves once every tier can serve: the memory tier at once, a store that connects (Redis) once
 * connected, and the invalidation bus once subscribed. Rejects after `timeout` with a
 * `CacheError` whose `cause` is the store's last connection error.
 */
export async function waitReady(core: CacheCore, options: ReadyOptions = {}): Promise<void> {
  core.assertOpen()
  assertKnownOptions(options, READY_OPTIONS, 'ready options')
  const timeout = parseDuration(options.timeout ?? '5s', 'timeout')
  if (!Number.isFinite(timeout)) {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'ready: timeout must be a finite duration')
  }
  const store = core.remote?.tier.store
  const waits: Promise<void>[] = []
  if (store !== undefined && canConnect(store)) waits.push(store.ready(timeout))
  const bus = core.remote?.bus
  if (bus !== undefined) {
    waits.push(
      waitConnected(
        bus,
        timeout,
        () =>
          new CacheError(errors.ERR_CACHE_TIMEOUT, `invalidation bus not subscribed after ${timeout} ms`, {
            cause: store !== undefined && canConnect(store) ? store.connectionError : undefined,
          }),
      ),
    )
  }
  try {
    await Promise.all(waits)
  } catch (error) {
    // A store of the contract may reject with its own error: the caller still gets a CacheError.
    if (isCacheError(error)) throw error
    throw new CacheError(errors.ERR_CACHE_STORE, `${store?.name}: not ready: ${(error as Error)?.message}`, {
      cause: error,
    })
  }
}
