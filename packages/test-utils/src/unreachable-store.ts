import type { ConnectableStore } from '@cache/core/plugin'
import { failingStore } from './failing-store.js'

/**
 * A store of the contract whose server never answers: it never connects, every call rejects
 * with its connection error (`ECONNREFUSED`), and `ready()` rejects at once with that cause, as
 * a `RedisStore` does after its timeout. For tests of what an app does with a cache that is not
 * ready, without waiting out a real connection timeout.
 */
export function unreachableStore(): ConnectableStore {
  const connectionError = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), {
    code: 'ECONNREFUSED',
  })
  return {
    ...failingStore(connectionError),
    name: 'unreachable',
    address: 'redis://127.0.0.1:1',
    connected: false,
    connectionError,
    onConnectionChange: () => () => {},
    ready: () =>
      Promise.reject(
        Object.assign(new Error('unreachable: not connected', { cause: connectionError }), {
          code: 'ERR_CACHE_TIMEOUT',
        }),
      ),
  }
}
