import type { CacheStore } from '@cache/core'
import { STORE_CONTRACT_VERSION } from '@cache/core/plugin'

/**
 * A store that answers reads at once from a map of encoded entries, with read coalescing on as
 * for Redis (`batchGets`): what remains of an L2 read is the cache's own work (batching, the
 * promise, decoding and copying the value), with no wire and no client library. Writes are
 * refused: it holds what it is given.
 */
export function instantStore(entries: ReadonlyMap<string, Uint8Array>): CacheStore {
  const refuse = () => Promise.reject(new Error('instantStore is read-only'))
  return {
    name: 'instant',
    contractVersion: STORE_CONTRACT_VERSION,
    capabilities: { shared: true, persistent: false, batchGets: true },
    get: (key) => Promise.resolve(entries.get(key)),
    getMany: (keys) => Promise.resolve(keys.map((k) => entries.get(k))),
    set: refuse,
    setMany: refuse,
    delete: refuse,
    invalidateTags: refuse,
    clear: refuse,
    close: () => Promise.resolve(),
  }
}
