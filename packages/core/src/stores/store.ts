import type { InvalidationBus } from '../bus/invalidation-bus.js'

/**
 * The store contract (internal, versioned). A store moves bytes: the core owns the envelope
 * (value, createdAt, expiresAt, staleUntil, tags, codec version) and hands stores opaque bytes.
 * Stores never serialise and never swallow errors: a failing call rejects, and the tier guard
 * decides what to do with it.
 */
export const STORE_CONTRACT_VERSION = 1 as const

/** One write for {@link CacheStore.setMany}. */
export interface StoreWrite {
  /** Full (namespaced) key. */
  key: string
  /** Encoded entry bytes. */
  value: Uint8Array
  /** Physical lifetime in ms (TTL plus grace); `Infinity` keeps the entry until evicted or deleted. */
  ttl: number
  /** Tags the entry carries; the store indexes them for {@link CacheStore.invalidateTags}. */
  tags?: readonly string[]
}

/** What a store can do beyond the required methods. */
export interface StoreCapabilities {
  /** The store is shared between processes (Redis, a database): the core then uses the bus and the lease. */
  shared: boolean
  /** The store survives a process restart. */
  persistent: boolean
  /**
   * One `getMany` of N keys costs much less than N `get` calls (Redis MGET): the cache then
   * coalesces the distinct-key `get`s issued in one tick into `getMany` calls.
   * @default false
   */
  batchGets?: boolean
}

/** The contract every store implements; one conformance suite checks every implementation. */
export interface CacheStore {
  /** Short name for stats and errors, e.g. `'memory'`, `'redis'`. */
  readonly name: string
  /** Contract version this store implements; the core refuses other versions. */
  readonly contractVersion: typeof STORE_CONTRACT_VERSION
  /** Capability flags. */
  readonly capabilities: StoreCapabilities
  /**
   * Bytes stored under `key`, or `undefined`. `guards` are the store-level tags the entry may
   * keep as stamps (see {@link FencedLoadStore.setFenced}); a store that stamps reads their
   * generations in the same round trip, any other ignores them.
   */
  get(key: string, guards?: readonly string[]): Promise<Uint8Array | undefined>
  /** Bytes for each key, in order; one round trip where the store allows it. `guards[i]`: see {@link get}. */
  getMany(
    keys: readonly string[],
    guards?: readonly (readonly string[] | undefined)[],
  ): Promise<(Uint8Array | undefined)[]>
  /** Stores bytes under `key` for `ttl` ms, indexing `tags` with the entry. */
  set(key: string, value: Uint8Array, ttl: number, tags?: readonly string[]): Promise<void>
  /** Stores many entries; one round trip where the store allows it. */
  setMany(writes: readonly StoreWrite[]): Promise<void>
  /** Removes `key`; true when something was removed. */
  delete(key: string): Promise<boolean>
  /** Removes every key that carries one of `tags`; resolves to how many were removed. */
  invalidateTags(tags: readonly string[]): Promise<number>
  /**
   * Removes every key that starts with `prefix` (a namespace, `'app:'`); resolves to how many were
   * removed. A store that walks its keyspace in steps calls `progress` after each one, so the
   * cache can cut a stalled walk after one deadline without cutting a long, healthy one.
   */
  clear(prefix: string, progress?: () => void): Promise<number>
  /** Releases what the store created (connections, timers). Idempotent. */
  close(): Promise<void>
}

/** Optional: a store shared by processes can hand out stampede leases (`RedisStore` does). */
export interface LeaseCapableStore extends CacheStore {
  /** Takes the lease of `key` for `ttl` ms; the token to release it with, or `undefined` if another holder has it. */
  acquireLease(key: string, ttl: number): Promise<string | undefined>
  /** Releases a lease if the token still owns it. */
  releaseLease(key: string, token: string): Promise<void>
}

/**
 * What a load read from the store when it started: the generations of its key, tags and
 * namespaces and the store's clock. Opaque to the core; handed back to {@link FencedLoadStore.setFenced}.
 */
export interface LoadFence {
  /** Start of the load on the store's clock, in ms. */
  readonly at: number
  /** Generation keys read. */
  readonly keys: readonly string[]
  /** Their values at the start. */
  readonly generations: readonly string[]
}

/** How a fenced write went: stored, refused because an invalidation ran, or refused as too old to check. */
export type FencedWrite = 'stored' | 'invalidated' | 'expired'

/**
 * Optional: a shared store that remembers invalidations (a generation per key, tag and namespace
 * prefix, bumped by `set`, `delete`, `invalidateTags` and `clear`), so that a load that started
 * before an invalidation in any process is never stored after it (`RedisStore` does).
 */
export interface FencedLoadStore extends LeaseCapableStore {
  /**
   * Starts a load of `key` carrying `tags` (store-level names) in the namespaces `prefixes`:
   * reads their generations and, with `leaseTtl`, tries to take the lease, in one call.
   */
  beginLoad(
    key: string,
    tags: readonly string[],
    prefixes: readonly string[],
    leaseTtl: number | undefined,
  ): Promise<{ token: string | undefined; fence: LoadFence }>
  /**
   * Writes like `set`, only if no generation of `fence` moved; releases the lease `token` in the
   * same call. The store may keep `stamps` (some of `tags`, all read by `fence`) as the
   * generations the load began under rather than in tag sets; a read whose entry's stamped tag
   * was invalidated since then answers `undefined`.
   */
  setFenced(
    key: string,
    value: Uint8Array,
    ttl: number,
    tags: readonly string[],
    fence: LoadFence,
    token: string | undefined,
    stamps?: readonly string[],
  ): Promise<FencedWrite>
  /** Extends a lease for `ttl` ms if `token` still holds it; false when it does not. */
  refreshLease(key: string, token: string, ttl: number): Promise<boolean>
}

/** True when `store` can fence loads. */
export function canFence(store: CacheStore): store is FencedLoadStore {
  return typeof (store as Partial<FencedLoadStore>).beginLoad === 'function'
}

/** Optional: a shared store can open an invalidation bus (`RedisStore` does, over pub/sub). */
export interface BusCapableStore extends CacheStore {
  /** Opens a bus on `channel`; the store closes it when it closes. */
  createBus(channel: string): InvalidationBus
}

/** True when `store` supports leases. */
export function canLease(store: CacheStore): store is LeaseCapableStore {
  return typeof (store as Partial<LeaseCapableStore>).acquireLease === 'function'
}

/** True when `store` can open a bus. */
export function canBus(store: CacheStore): store is BusCapableStore {
  return typeof (store as Partial<BusCapableStore>).createBus === 'function'
}

/**
 * Optional: a store that holds a connection to a server (`RedisStore`) reports it, so that the
 * cache can hold calls made before the first connection, log outages once, and answer
 * `ready()` and `health()` with the real cause of a failure.
 */
export interface ConnectableStore extends CacheStore {
  /** Where the store connects, for logs and health checks (`redis://host:6379/0`). Never holds a password. */
  readonly address: string
  /** True while connected and able to serve calls. */
  readonly connected: boolean
  /** Why the store is not connected: the last connection error, `undefined` once connected. */
  readonly connectionError: Error | undefined
  /**
   * Calls `listener(true)` on each connection, and `listener(false, error)` on each failed
   * attempt or lost connection (`error` is `undefined` when a connection closed cleanly).
   * Returns a function that removes the listener.
   */
  onConnectionChange(listener: (connected: boolean, error?: Error) => void): () => void
  /**
   * Resolves once connected. Rejects with `ERR_CACHE_TIMEOUT` after `timeout` ms, its `cause`
   * being the last connection error (`ECONNREFUSED`, `ENOTFOUND`, `WRONGPASS`...).
   */
  ready(timeout?: number): Promise<void>
}

/** True when `store` reports its connection. */
export function canConnect(store: CacheStore): store is ConnectableStore {
  return typeof (store as Partial<ConnectableStore>).onConnectionChange === 'function'
}

/** Facts a store can report about itself (all optional: a store reports what it knows). */
export interface StoreStats {
  /** Entries under the asked prefix. */
  entries?: number
  /** Memory the store uses, in bytes (the whole server for Redis). */
  memoryBytes?: number
  /** Server version, for a remote store. */
  serverVersion?: string
  /** Server uptime in seconds. */
  uptimeSeconds?: number
  /** Clients connected to the server. */
  connectedClients?: number
}

/** Optional: a store that can describe itself and clear by glob pattern. */
export interface InspectableStore extends CacheStore {
  /** Facts about the store, counting entries under `prefixes`. */
  storeStats(prefixes: readonly string[]): Promise<StoreStats>
  /** Removes keys matching a glob (`*`, `?`) pattern; resolves to how many. */
  clearMatching(pattern: string): Promise<number>
}

/** True when `store` can describe itself. */
export function canInspect(store: CacheStore): store is InspectableStore {
  return typeof (store as Partial<InspectableStore>).storeStats === 'function'
}

/** A glob (`*` any run, `?` one char, `\` escapes) as an anchored RegExp. */
export function globToRegExp(glob: string): RegExp {
  let out = ''
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!
    if (c === '\\' && i + 1 < glob.length) out += glob[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    else if (c === '*') out += '[\\s\\S]*'
    else if (c === '?') out += '[\\s\\S]'
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  }
  return new RegExp(`^${out}$`)
}
