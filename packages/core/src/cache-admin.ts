import type { CacheCore } from './cache-core.js'
import { CacheError, errors } from './errors.js'
import type { CacheStats } from './stats.js'
import { canInspect, globToRegExp, type StoreStats } from './stores/store.js'

/** What `cache.inspect()` reports: the counters plus what the store knows, in one call. */
export interface CacheInspection {
  /** Namespace path inspected. */
  namespace: string
  /** Counters of the cache (L1 and L2 hits, misses, errors, breaker state...). */
  stats: CacheStats
  /** Facts from the L2 store (entries in the namespace, memory, server version, uptime, clients), when it has any. */
  store?: StoreStats & { name: string }
}

/** Gathers {@link CacheInspection}. A store fault is reported as `store: undefined` plus an `error` event. */
export async function inspectCache(
  core: CacheCore,
  path: string,
  prefixes: readonly string[],
  stats: CacheStats,
): Promise<CacheInspection> {
  const remote = core.remote
  if (remote === undefined || !canInspect(remote.tier.store)) return { namespace: path, stats }
  const store = remote.tier.store
  try {
    // Counting walks the keyspace with SCAN: give it more than the per-call deadline.
    const facts = await store.storeStats(prefixes)
    return { namespace: path, stats, store: { name: store.name, ...facts } }
  } catch (error) {
    remote.fault(error, 'inspect', undefined)
    return { namespace: path, stats }
  }
}

/**
 * Removes every key of this namespace whose key (after the namespace prefix) matches the glob
 * `pattern` (`*`, `?`), in L1 and L2; returns how many L2 keys went.
 */
export async function clearMatching(core: CacheCore, prefix: string, pattern: string): Promise<number> {
  if (typeof pattern !== 'string' || pattern.length === 0) {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'clearMatching needs a non-empty glob pattern')
  }
  const re = globToRegExp(pattern)
  core.flights.invalidatePrefixes([prefix]) // cheap and safe: running loads of the namespace do not store
  const l1Keys = core.local.keysWithPrefix(prefix)
  const removedKeys = l1Keys.filter((k) => re.test(k.slice(prefix.length)))
  for (const k of removedKeys) core.local.delete(k)
  let removed = 0
  const remote = core.remote
  if (remote !== undefined && canInspect(remote.tier.store)) {
    const store = remote.tier.store
    // Only `*` and `?` are wildcards here; Redis would also read `[...]` as a class.
    const glob =
      prefix.replace(/[*?[\]\\]/g, '\\$&') +
      pattern.replace(/\\.|[[\]]/g, (m) => (m.length === 2 ? m : `\\${m}`))
    try {
      removed = await store.clearMatching(glob)
      await remote.invalidate({ kind: 'clear', prefixes: [prefix] }, true)
    } catch (error) {
      remote.fault(error, 'clearMatching', undefined)
      // The pattern cannot be replayed as such: the whole namespace is cleared instead.
      await remote.invalidate({ kind: 'clear', prefixes: [prefix] })
    }
  }
  core.recorder.removed(removedKeys.length)
  return removed
}
