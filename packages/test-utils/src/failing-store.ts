import type { CacheStore } from '@cache/core'

/**
 * A store of the contract whose every call rejects with `error` (a server that answers with
 * errors): for checking that store faults never reach an HTTP client.
 */
export function failingStore(error: Error = new Error('store down')): CacheStore {
  const fail = () => Promise.reject(error)
  return {
    name: 'failing',
    contractVersion: 1,
    capabilities: { shared: false, persistent: false },
    get: fail,
    getMany: fail,
    set: fail,
    setMany: fail,
    delete: fail,
    invalidateTags: fail,
    clear: fail,
    close: () => Promise.resolve(),
  }
}
