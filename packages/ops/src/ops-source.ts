import { type Cache, CacheError, type CacheStore, errors } from '@cache/core'

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
 * unless a namespace is given). A `Cache` is read through its L2 store (`cache.store`), limited to
 * its own namespace. A memory-only cache has no store to list.
 */
export function resolveStore(
  target: OpsTarget,
  namespace: string | undefined,
  operation: string,
): { store: CacheStore; namespace: string | undefined } {
  if (isStore(target)) return { store: target, namespace }
  if (isCache(target)) {
    const store = target.store
    if (store === undefined) {
      throw new CacheError(
        errors.ERR_CACHE_INVALID_OPTION,
        `${operation} cannot list the entries of a memory-only cache: give it a store (MemoryStore, RedisStore, KeyvStore)`,
      )
    }
    return { store, namespace: namespace ?? target.namespacePath }
  }
  throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, `${operation} expects a Cache or a CacheStore`)
}
