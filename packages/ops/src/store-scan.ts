import { CacheError, type CacheStore, errors } from '@cache/core'
import { inPrefixes, isInternalKey } from '@cache/core/layout'
import { escapeGlob, isRedisStore, scanRedisKeys } from './redis-scan.js'

/**
 * Optional store capability: list the keys under a prefix. Stores that have it (a future
 * `MemoryStore.keys`, a custom store) can be exported and synced like Redis and Keyv.
 */
export interface KeyListingStore extends CacheStore {
  /** Keys starting with `prefix`, in any order. */
  keys(prefix: string): AsyncIterable<string> | Iterable<string>
}

interface KeyvLike {
  namespace?: string
  iterator?: (namespace?: string) => AsyncIterable<[unknown, unknown]>
}

/** True when the store can enumerate its keys, so the ops APIs can read it. */
export function canScan(store: CacheStore): boolean {
  return isRedisStore(store) || keyvOf(store) !== undefined || hasKeys(store)
}

/**
 * Yields batches of at most `batchSize` keys of `store` that start with one of `prefixes`,
 * without the store's internal keys (tag indexes, leases). Redis: SCAN per prefix (never KEYS);
 * Keyv: the backend's iterator; otherwise the store's own `keys(prefix)`. Memory stays bounded
 * by one batch whatever the size of the store.
 */
export async function* scanStoreKeys(
  store: CacheStore,
  prefixes: readonly string[],
  batchSize = 500,
): AsyncGenerator<string[]> {
  if (isRedisStore(store)) {
    for (const prefix of prefixes) {
      const match = `${escapeGlob(prefix)}*`
      for await (const keys of scanRedisKeys(store, { match, count: batchSize })) {
        const kept = keys.filter((k) => !isInternalKey(k))
        if (kept.length > 0) yield kept
      }
    }
    return
  }
  const keyv = keyvOf(store)
  if (keyv !== undefined) {
    yield* batches(keyvKeys(keyv, prefixes), batchSize)
    return
  }
  if (hasKeys(store)) {
    for (const prefix of prefixes) yield* batches(store.keys(prefix), batchSize, prefixes)
    return
  }
  throw new CacheError(
    errors.ERR_CACHE_INVALID_OPTION,
    `store ${store.name} cannot list its keys: use a RedisStore, a KeyvStore over a backend with an iterator, or a store with keys(prefix)`,
  )
}

async function* keyvKeys(keyv: KeyvLike, prefixes: readonly string[]): AsyncGenerator<string> {
  // The iterator strips Keyv's own namespace and skips expired entries.
  for await (const [key] of keyv.iterator!.call(keyv, keyv.namespace)) {
    if (typeof key === 'string' && inPrefixes(key, prefixes)) yield key
  }
}

async function* batches(
  keys: AsyncIterable<string> | Iterable<string>,
  size: number,
  prefixes: readonly string[] = [''],
): AsyncGenerator<string[]> {
  let batch: string[] = []
  for await (const key of keys) {
    if (isInternalKey(key) || !inPrefixes(key, prefixes)) continue
    batch.push(key)
    if (batch.length >= size) {
      yield batch
      batch = []
    }
  }
  if (batch.length > 0) yield batch
}

function keyvOf(store: CacheStore): KeyvLike | undefined {
  const keyv = (store as { keyv?: KeyvLike }).keyv
  return store.name === 'keyv' && typeof keyv?.iterator === 'function' ? keyv : undefined
}

function hasKeys(store: CacheStore): store is KeyListingStore {
  return typeof (store as Partial<KeyListingStore>).keys === 'function'
}
