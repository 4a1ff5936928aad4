import type { Cache } from '../cache.js'
import { CacheError, errors } from '../errors.js'
import type { CacheStore } from '../stores/store.js'

/** What the ops APIs read from or write to: a store, or a `Cache` (see {@link resolveStore}). */
export type OpsTarget = CacheStore | Cache

/** True when `x` is a `Cache` (by shape: two installed copies break `instanceof`). */
export function isCache(x: unknown): x is Cache {
  const c = x as Partial<Cache> | null
  return typeof c === 'object' && c !== null && typeof c.getOrSet === 'function' && 'namespacePath' in c
}

/** True when `x` implements the store contract. */
export function isStore(x: unknown): x is CacheStore {
  const s = x as Partial<CacheStore> | null
  return typeof s === 'object' && s !== null && typeof s.get === 'function' && 'contractVersion' in s
}

/**
 * The store behind `target` and the namespace to work in. A store is used as is (every key,
 * unless a namespace is given). A `Cache` is read through its L2 store, limited to its own
 * namespace: the `Cache` class exposes its store as `cache.store` once the core has that hook;
 * until then pass the store the cache was created with. A memory-only cache cannot be listed.
 */
export function resolveStore(
  target: OpsTarget,
  namespace: string | undefined,
  operation: string,
): { store: CacheStore; namespace: string | undefined } {
  if (isStore(target)) return { store: target, namespace }
  if (isCache(target)) {
    const store = (target as { store?: CacheStore }).store
    if (store === undefined) {
      throw new CacheError(
        errors.ERR_CACHE_INVALID_OPTION,
        `${operation} cannot list the entries of this cache: pass the store it was created with (RedisStore, KeyvStore) instead`,
      )
    }
    return { store, namespace: namespace ?? target.namespacePath }
  }
  throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, `${operation} expects a Cache or a CacheStore`)
}
