import type { CacheStore } from '@cache/core'
import { assertKnownOptions, optionKeys } from '@cache/core/plugin'

/**
 * The commands of one Redis node the ops send. Typed by shape, not as ioredis's `Redis`: these
 * declarations must compile for users who installed only keyv (ioredis is an optional peer).
 */
export interface RedisNodeLike {
  /** Connection state (`'ready'` once connected). */
  readonly status: string
  /** SCAN with MATCH and COUNT. */
  scan(
    cursor: string,
    match: 'MATCH',
    pattern: string,
    count: 'COUNT',
    n: number,
  ): Promise<[string, string[]]>
  /** GET. */
  get(key: string): Promise<string | null>
  /** SET with a PX expiry. */
  set(key: string, value: string, px: 'PX', ms: number): Promise<unknown>
  /** PUBLISH. */
  publish(channel: string, message: string): Promise<number>
}

/** An ioredis client or cluster, by the shape the ops use. */
export interface RedisClientLike extends RedisNodeLike {
  /** True on an ioredis `Cluster`. */
  readonly isCluster?: boolean
  /** The master nodes of a cluster. */
  nodes?(role: 'master'): RedisNodeLike[]
}

/** The part of `RedisStore` the ops need; matched by shape so this entry never loads ioredis. */
export interface RedisLikeStore extends CacheStore {
  /** The ioredis client or cluster. */
  readonly client: RedisClientLike
  /** The Redis key of a cache key (store prefix + bounded key). */
  redisKey(key: string): string
  /** Resolves once connected (`RedisStore.ready`). */
  ready?(timeout?: number): Promise<void>
}

/** True when `store` is a `RedisStore` (by shape: two installed copies break `instanceof`). */
export function isRedisStore(store: CacheStore): store is RedisLikeStore {
  const s = store as Partial<RedisLikeStore>
  return store.name === 'redis' && typeof s.redisKey === 'function' && typeof s.client === 'object'
}

/** Options of {@link scanRedisKeys}. */
export interface ScanRedisOptions {
  /** SCAN MATCH glob, relative to the store's key prefix (the prefix is escaped and added). @default '*' */
  match?: string
  /** SCAN COUNT hint: keys looked at per round trip. @default 1000 */
  count?: number
  /** Stop after this many keys (a sample). @default Infinity */
  limit?: number
}

/**
 * Yields batches of keys of a Redis store with SCAN (never KEYS), on every master of a cluster.
 * Keys come back without the store's `keyPrefix`, as the store's own methods take them. SCAN
 * may return a key twice while Redis rehashes; callers that count must tolerate it.
 */
export function scanRedisKeys(
  store: RedisLikeStore,
  options: ScanRedisOptions = {},
): AsyncGenerator<string[]> {
  // At the call, not at the first `next()`: bad options fail where they are written.
  assertKnownOptions(options, SCAN_REDIS_OPTIONS, 'scanRedisKeys options')
  return scanAll(store, options)
}

const SCAN_REDIS_OPTIONS = optionKeys<ScanRedisOptions>({ match: true, count: true, limit: true })

async function* scanAll(store: RedisLikeStore, options: ScanRedisOptions): AsyncGenerator<string[]> {
  const storePrefix = store.redisKey('')
  const match = escapeGlob(storePrefix) + (options.match ?? '*')
  const count = options.count ?? 1000
  let left = options.limit ?? Number.POSITIVE_INFINITY
  const client = store.client
  // A store just created is still connecting, and its client has no offline queue: wait for it.
  if (client.status !== 'ready') await store.ready?.()
  const nodes: RedisNodeLike[] = client.isCluster === true && client.nodes ? client.nodes('master') : [client]
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', count)
      cursor = next
      if (keys.length === 0) continue
      const batch = keys.slice(0, left).map((k) => k.slice(storePrefix.length))
      left -= batch.length
      yield batch
      if (left <= 0) return
    } while (cursor !== '0')
  }
}

/** Escapes SCAN MATCH glob characters so `s` matches literally. */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\^]/g, '\\$&')
}
