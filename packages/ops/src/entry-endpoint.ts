import type { Cache, CacheStore, SetManyItem } from '@cache/core'
import { decodeEntry, inPrefixes, namespacePrefixes, splitKey } from '@cache/core/layout'
import { exportBatches } from './export-batches.js'
import type { ExportedEntry, SkipEvent } from './exported-entry.js'
import { isCache, isStore, type OpsTarget, resolveStore } from './ops-source.js'
import { isRedisStore } from './redis-scan.js'
import { toStoreWrite } from './store-write.js'

/** Options of {@link EntryEndpoint.scan}. */
export interface ScanOptions {
  /** Entries per batch. */
  batchSize: number
  /** Reports entries left out. */
  onSkip: (event: SkipEvent) => void
  /** Stops between batches. */
  signal?: AbortSignal | undefined
}

/**
 * One side of an import, export or sync: something entries can be listed from, looked up in
 * and written to. Stores, caches and snapshot files each get one, so the ops are written once.
 */
export interface EntryEndpoint {
  /** For messages: `'redis'`, `'snapshot ./a.jsonl'`... */
  readonly label: string
  /** Entries of the endpoint in batches (bounded memory). */
  scan(options: ScanOptions): AsyncIterable<ExportedEntry[]>
  /** For each key, whether the endpoint already holds a servable entry. */
  has(keys: readonly string[]): Promise<boolean[]>
  /** The endpoint writes decoded values (a `Cache`), so entries must decode fully before they are written. */
  readonly needsValues?: boolean
  /** The skip of an entry this endpoint cannot hold (outside its namespace), else `undefined`. */
  refuse(entry: ExportedEntry): SkipEvent | undefined
  /** Writes entries as they are (same envelope, remaining lifetime, tags). */
  write(entries: readonly ExportedEntry[]): Promise<void>
}

/** An endpoint that is built by something else (a snapshot file), passed through {@link toEndpoint}. */
export interface EndpointFactory {
  /** Builds the endpoint, limited to `namespace` when given. */
  toEndpoint(namespace: string | undefined): EntryEndpoint
}

/** Anything the ops can read or write: a store, a `Cache`, or a snapshot file (`snapshotFile(path)`). */
export type EntryTarget = OpsTarget | EndpointFactory

/** The endpoint of `target`, limited to `namespace`. */
export function toEndpoint(
  target: EntryTarget,
  namespace: string | undefined,
  operation: string,
): EntryEndpoint {
  if (isFactory(target)) return target.toEndpoint(namespace)
  if (isCache(target) && !isStore(target)) return cacheEndpoint(target, namespace, operation)
  const { store } = resolveStore(target, namespace, operation)
  return storeEndpoint(store, namespace)
}

function isFactory(x: unknown): x is EndpointFactory {
  return typeof (x as Partial<EndpointFactory> | null)?.toEndpoint === 'function'
}

/** A store: listed by scanning, written byte for byte (createdAt and timestamps kept exactly). */
export function storeEndpoint(store: CacheStore, namespace: string | undefined): EntryEndpoint {
  const prefixes = namespacePrefixes(namespace)
  // A RedisStore just created is still connecting and has no offline queue: wait once.
  const ready = async () => {
    if (isRedisStore(store) && store.client.status !== 'ready') await store.ready?.()
  }
  return {
    label: store.name,
    scan: (o) => exportBatches(store, prefixes, o),
    async has(keys) {
      await ready()
      const values = await store.getMany(keys)
      return values.map((v) => v !== undefined)
    },
    refuse: (entry) =>
      inPrefixes(entry.key, prefixes) ? undefined : { key: entry.key, reason: 'namespace' },
    async write(entries) {
      const now = Date.now()
      const writes = entries.map((e) => toStoreWrite(e, now)).filter((w) => w.ttl > 0)
      await ready()
      if (writes.length > 0) await store.setMany(writes)
    },
  }
}

/**
 * A `Cache`: written through its public API (`setMany` per namespace), so L1 is filled and the
 * other processes drop their L1 copies over the bus. The envelope is decoded and re-encoded by
 * the cache: timestamps keep their meaning (remaining TTL and grace), `createdAt` becomes the
 * import time. Lookups for `overwrite: false` go through `getMany` and show in `cache.stats()`.
 */
export function cacheEndpoint(cache: Cache, namespace: string | undefined, operation: string): EntryEndpoint {
  const root = cache.namespacePath
  const views = new Map<string, Cache>([[root, cache]])
  const view = (path: string): Cache => {
    let ns = views.get(path)
    if (ns === undefined) {
      ns = path
        .slice(root.length + 1)
        .split('/')
        .reduce((c, name) => c.namespace(name), cache)
      views.set(path, ns)
    }
    return ns
  }
  const prefixes = namespacePrefixes(namespace ?? root)
  const rootPrefixes = namespacePrefixes(root)
  return {
    label: `cache ${root}`,
    needsValues: true,
    scan(o) {
      const { store } = resolveStore(cache, namespace, operation)
      return exportBatches(store, prefixes, o)
    },
    async has(keys) {
      const out: boolean[] = []
      for (const [path, items] of groupByPath(keys.map((key, index) => ({ key, index })))) {
        const values = await view(path).getMany(items.map((i) => i.local))
        items.forEach((item, j) => {
          out[item.index] = values[j] !== undefined
        })
      }
      return out
    },
    refuse: (entry) =>
      inPrefixes(entry.key, prefixes) && inPrefixes(entry.key, rootPrefixes)
        ? undefined
        : { key: entry.key, reason: 'namespace', detail: `not under namespace ${namespace ?? root}` },
    async write(entries) {
      const now = Date.now()
      for (const [path, items] of groupByPath(entries.map((e, index) => ({ key: e.key, index })))) {
        await view(path).setMany(items.map((i) => cacheItem(entries[i.index]!, i.local, now)))
      }
    },
  }
}

/** The `setMany` item that recreates `e`: same value, tags, remaining TTL and grace (a stale entry gets 1 ms of TTL). */
function cacheItem(e: ExportedEntry, key: string, now: number): SetManyItem {
  const value = 'value' in e ? e.value : decodeEntry(e.bytes).value
  if (e.expiresAt === Number.POSITIVE_INFINITY)
    return { key, value, ttl: e.expiresAt, grace: false, tags: e.tags, ttlJitter: 0 }
  const ttl = Math.max(1, e.expiresAt - now)
  const grace = e.staleUntil - (now + ttl)
  return { key, value, ttl, grace: grace > 0 ? grace : false, tags: e.tags, ttlJitter: 0 }
}

function groupByPath(
  items: { key: string; index: number }[],
): Map<string, { local: string; index: number }[]> {
  const groups = new Map<string, { local: string; index: number }[]>()
  for (const { key, index } of items) {
    const split = splitKey(key)!
    let group = groups.get(split.path)
    if (group === undefined) groups.set(split.path, (group = []))
    group.push({ local: split.key, index })
  }
  return groups
}
