import { randomBytes } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'
import { RedisBus } from '../../bus/redis-bus.js'
import { CacheError, errors } from '../../errors.js'
import { assertKnownOptions, optionKeys } from '../../known-options.js'
import {
  type ConnectableStore,
  type FencedLoadStore,
  type FencedWrite,
  type InspectableStore,
  type LoadFence,
  STORE_CONTRACT_VERSION,
  type StoreCapabilities,
  type StoreStats,
  type StoreWrite,
} from '../store.js'
import { redisAddress } from './redis-address.js'
import { connectRedis, type RedisConnectionOptions } from './redis-connection.js'
import { RedisConnectionState } from './redis-connection-state.js'
import { type RedisServerInfo, readServerInfo } from './redis-info.js'
import { boundedKey, escapeGlob } from './redis-keys.js'
import {
  BEGIN_LOAD,
  BUMP,
  DELETE_KEY,
  INVALIDATE_TAGS,
  REFRESH_LEASE,
  RELEASE_LEASE,
  SET_FENCED,
  SET_TAGGED,
} from './redis-scripts.js'

/** Options of {@link RedisStore}. */
export interface RedisStoreOptions extends RedisConnectionOptions {
  /**
   * Prefix of every Redis key this store writes, before the cache namespace.
   * @default ''
   */
  keyPrefix?: string
  /**
   * How long the store remembers an invalidation: `set`, `delete`, `invalidateTags` and `clear`
   * leave a small generation key per key, tag or namespace for this long. A load that started
   * before an invalidation (in any process) is refused when it tries to store after it; a load
   * that takes longer than this is not written to Redis at all (it still answers and fills L1).
   * @default 60_000 (1 minute)
   */
  generationTtl?: number
}

// `redis` and `cluster.options` are ioredis's own options: ioredis reads them, we do not check them.
const REDIS_STORE_OPTIONS = optionKeys<RedisStoreOptions>({
  url: true,
  redis: true,
  cluster: true,
  client: true,
  commandTimeout: true,
  keyPrefix: true,
  generationTtl: true,
})

type Client = Redis | Cluster
type ScriptClient = Client & {
  cacheSetTagged(...args: (string | Buffer | Uint8Array)[]): Promise<number>
  cacheInvalidateTags(...args: string[]): Promise<number>
  cacheBeginLoad(...args: string[]): Promise<[number, number, ...string[]]>
  cacheSetFenced(...args: (string | Buffer)[]): Promise<number>
  cacheDeleteKey(...args: string[]): Promise<number>
  cacheBump(key: string, ttl: string): Promise<number>
  cacheRefreshLease(key: string, token: string, ttl: string): Promise<number>
  cacheReleaseLease(key: string, token: string): Promise<number>
}

/**
 * The Redis store (`@cache/core/redis`), through ioredis: standalone, TLS (`rediss://`),
 * AUTH/ACL, Sentinel and Cluster. Values travel as Buffers. `getMany` is one MGET, `setMany`
 * one pipeline; tags are written atomically with their entry by a Lua script (standalone and
 * Sentinel); clears use SCAN + UNLINK, never KEYS.
 */
export class RedisStore implements InspectableStore, ConnectableStore, FencedLoadStore {
  /** @inheritdoc */
  readonly name = 'redis'
  /** @inheritdoc */
  readonly contractVersion = STORE_CONTRACT_VERSION
  /** @inheritdoc */
  readonly capabilities: StoreCapabilities
  /** The ioredis client (or cluster) in use. */
  readonly client: Client
  readonly #owned: boolean
  readonly #prefix: string
  readonly #cluster: boolean
  readonly #genTtl: string
  readonly #buses = new Set<RedisBus>()
  readonly #connection: RedisConnectionState
  #closed = false

  constructor(options: RedisStoreOptions) {
    if (options === null || typeof options !== 'object') {
      throw new CacheError(
        errors.ERR_CACHE_INVALID_OPTION,
        'RedisStore expects an options object: { url }, { redis }, { cluster } or { client }',
      )
    }
    assertKnownOptions(options, REDIS_STORE_OPTIONS, 'RedisStore options')
    const { client, owned } = connectRedis(options)
    this.client = client
    this.#owned = owned
    this.#prefix = options.keyPrefix ?? ''
    this.#cluster = (client as Cluster).isCluster === true
    const genTtl = options.generationTtl ?? 60_000
    if (!Number.isInteger(genTtl) || genTtl < 1000) {
      throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'generationTtl must be an integer >= 1000 (ms)')
    }
    this.#genTtl = String(genTtl)
    // MGET answers N keys for about the client cost of one GET; a cluster's getMany is N GETs anyway.
    this.capabilities = { shared: true, persistent: true, batchGets: !this.#cluster }
    // Listens to 'error' too: an unhandled 'error' event would crash the process.
    this.#connection = new RedisConnectionState(client, redisAddress(options, client))
    const c = client as ScriptClient
    if (typeof c.cacheBeginLoad !== 'function') {
      client.defineCommand('cacheSetTagged', { lua: SET_TAGGED })
      client.defineCommand('cacheInvalidateTags', { lua: INVALIDATE_TAGS })
      client.defineCommand('cacheReleaseLease', { numberOfKeys: 1, lua: RELEASE_LEASE })
      client.defineCommand('cacheBeginLoad', { lua: BEGIN_LOAD })
      client.defineCommand('cacheSetFenced', { lua: SET_FENCED })
      client.defineCommand('cacheDeleteKey', { numberOfKeys: 3, lua: DELETE_KEY })
      client.defineCommand('cacheBump', { numberOfKeys: 1, lua: BUMP })
      client.defineCommand('cacheRefreshLease', { numberOfKeys: 1, lua: REFRESH_LEASE })
    }
  }

  /** True for a Redis Cluster client. */
  get isCluster(): boolean {
    return this.#cluster
  }

  /** @inheritdoc */
  get address(): string {
    return this.#connection.address
  }

  /** @inheritdoc */
  get connected(): boolean {
    return this.#connection.connected
  }

  /** @inheritdoc */
  get connectionError(): Error | undefined {
    return this.#connection.error
  }

  /** @inheritdoc */
  onConnectionChange(listener: (connected: boolean, error?: Error) => void): () => void {
    return this.#connection.onConnectionChange(listener)
  }

  /**
   * Resolves once the client is connected and ready. After `timeout` ms rejects with
   * `ERR_CACHE_TIMEOUT` whose `cause` is the last connection error (`ECONNREFUSED`,
   * `ENOTFOUND`, `WRONGPASS`...).
   */
  ready(timeout = 5000): Promise<void> {
    return this.#connection.ready(timeout)
  }

  /** The Redis key for a cache key (bounded length). */
  redisKey(key: string): string {
    return boundedKey(this.#prefix, key)
  }

  #tagKey(tag: string): string {
    return boundedKey(`${this.#prefix}__tag:`, tag)
  }

  /** Generation of a cache key, a store-level tag or a clear prefix (`__g:k:`, `__g:t:`, `__g:p:`). */
  #genKey(kind: 'k' | 't' | 'p', name: string): string {
    return boundedKey(`${this.#prefix}__g:${kind}:`, name)
  }

  /** The set of tag keys an entry carries now (`<keyPrefix>__kt:<key>`); invalidation checks it. */
  #entryTagsKey(rkey: string): string {
    return `${this.#prefix}__kt:${rkey.slice(this.#prefix.length)}`
  }

  get(key: string): Promise<Uint8Array | undefined> {
    try {
      return this.client.getBuffer(this.redisKey(key)).then(nullToUndefined)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  async getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return []
    const rkeys = keys.map((k) => this.redisKey(k))
    // A cluster spreads keys over slots, and MGET needs one slot: auto-pipelining still sends one batch per node.
    const values = this.#cluster
      ? await Promise.all(rkeys.map((k) => this.client.getBuffer(k)))
      : await (this.client as Redis).mgetBuffer(...rkeys)
    return values.map((v) => v ?? undefined)
  }

  async set(key: string, value: Uint8Array, ttl: number, tags: readonly string[] = []): Promise<void> {
    await this.#write(this.client, key, value, ttl, tags)
  }

  async setMany(writes: readonly StoreWrite[]): Promise<void> {
    if (writes.length === 0) return
    if (this.#cluster) {
      await Promise.all(writes.map((w) => this.#write(this.client, w.key, w.value, w.ttl, w.tags ?? [])))
      return
    }
    const pipeline = (this.client as Redis).pipeline()
    for (const w of writes)
      void this.#write(pipeline as unknown as Client, w.key, w.value, w.ttl, w.tags ?? [])
    const results = await pipeline.exec()
    const failed = results?.find(([error]) => error !== null)
    if (failed) throw failed[0]
  }

  /**
   * Writes an entry with its tags. An overwrite (`bump`) also bumps the key's generation, so loads
   * of the key that started before it are not stored after it. One script on standalone and
   * Sentinel; on a Cluster the entry, its tag sets and its generation live in different slots, so
   * they are written one by one, tag sets first: a key that exists is always findable by its tags.
   */
  #write(
    target: Client,
    key: string,
    value: Uint8Array,
    ttl: number,
    tags: readonly string[],
    bump = true,
  ): Promise<unknown> {
    const rkey = this.redisKey(key)
    const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    const px = Number.isFinite(ttl) ? String(Math.max(1, Math.ceil(ttl))) : ''
    const ktKey = this.#entryTagsKey(rkey)
    const tagKeys = tags.map((t) => this.#tagKey(t))
    const genKey = this.#genKey('k', key)
    if (!this.#cluster) {
      return (target as ScriptClient).cacheSetTagged(
        String(3 + tagKeys.length),
        rkey,
        ktKey,
        ...tagKeys,
        genKey,
        buf,
        px,
        this.#genTtl,
      )
    }
    return (async () => {
      await Promise.all(
        tagKeys.map(async (tk) => {
          await target.sadd(tk, rkey)
          if (px === '') await target.persist(tk)
          else {
            await target.pexpire(tk, px, 'NX')
            await target.pexpire(tk, px, 'GT')
          }
        }),
      )
      // Until the UNLINK lands an invalidation of an earlier tag may still remove the entry,
      // which is the safe direction (a miss, never a stale hit).
      await target.unlink(ktKey)
      if (tagKeys.length > 0) {
        await target.sadd(ktKey, ...tagKeys)
        if (px !== '') await target.pexpire(ktKey, px)
      }
      await (px === '' ? target.set(rkey, buf) : target.set(rkey, buf, 'PX', px))
      if (bump) await (target as ScriptClient).cacheBump(genKey, this.#genTtl)
    })()
  }

  async delete(key: string): Promise<boolean> {
    const rkey = this.redisKey(key)
    const ktKey = this.#entryTagsKey(rkey)
    const genKey = this.#genKey('k', key)
    const c = this.client as ScriptClient
    if (!this.#cluster) return (await c.cacheDeleteKey(rkey, ktKey, genKey, this.#genTtl)) > 0
    const [removed] = await Promise.all([c.unlink(rkey), c.unlink(ktKey), c.cacheBump(genKey, this.#genTtl)])
    return removed > 0
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    if (tags.length === 0) return 0
    const tagKeys = tags.map((t) => this.#tagKey(t))
    const genKeys = tags.map((t) => this.#genKey('t', t))
    const c = this.client as ScriptClient
    if (!this.#cluster) {
      return c.cacheInvalidateTags(
        String(2 * tagKeys.length),
        ...tagKeys,
        ...genKeys,
        this.#prefix,
        this.#genTtl,
      )
    }
    // Cluster: generations first, so a load that reads them after this point stores nothing stale.
    await Promise.all(genKeys.map((g) => c.cacheBump(g, this.#genTtl)))
    const doomed = new Set<string>()
    for (const tk of tagKeys) {
      const members = await this.client.smembers(tk)
      const current = await Promise.all(members.map((m) => this.client.sismember(this.#entryTagsKey(m), tk)))
      members.forEach((m, i) => {
        if (current[i] === 1) doomed.add(m)
      })
    }
    const counts = await Promise.all([...doomed].map((m) => this.client.unlink(m)))
    await Promise.all([...doomed].map((m) => this.client.unlink(this.#entryTagsKey(m))))
    await Promise.all(tagKeys.map((tk) => this.client.unlink(tk)))
    return counts.reduce((a, b) => a + b, 0)
  }

  async clear(prefix: string): Promise<number> {
    // The generation first: a load of the namespace that started before the clear stores nothing.
    await (this.client as ScriptClient).cacheBump(this.#genKey('p', prefix), this.#genTtl)
    return this.#unlinkMatching(`${escapeGlob(this.#prefix + prefix)}*`)
  }

  /** Removes keys matching a glob pattern (SCAN MATCH + UNLINK, never KEYS). */
  async clearMatching(pattern: string): Promise<number> {
    return this.#unlinkMatching(escapeGlob(this.#prefix) + pattern)
  }

  /** Entries under `prefixes`, plus server facts, in one call. */
  async storeStats(prefixes: readonly string[]): Promise<StoreStats> {
    const [counts, info] = await Promise.all([
      Promise.all(prefixes.map((p) => this.count(p))),
      this.serverInfo(),
    ])
    return {
      entries: counts.reduce((a, b) => a + b, 0),
      memoryBytes: info.usedMemoryBytes,
      serverVersion: info.version,
      uptimeSeconds: info.uptimeSeconds,
      connectedClients: info.connectedClients,
    }
  }

  async #unlinkMatching(match: string): Promise<number> {
    let removed = 0
    for (const node of this.#nodes()) {
      let cursor = '0'
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000)
        cursor = next
        if (keys.length > 0) {
          const counts = this.#cluster
            ? await Promise.all(keys.map((k) => this.client.unlink(k)))
            : [await node.unlink(...keys)]
          removed += counts.reduce((a, b) => a + b, 0)
        }
      } while (cursor !== '0')
    }
    return removed
  }

  /** Counts keys under `prefix` with SCAN (sampled over the whole keyspace, never KEYS). */
  async count(prefix: string): Promise<number> {
    const match = `${escapeGlob(this.#prefix + prefix)}*`
    let n = 0
    for (const node of this.#nodes()) {
      let cursor = '0'
      do {
        const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000)
        cursor = next
        n += keys.length
      } while (cursor !== '0')
    }
    return n
  }

  /** Server facts: version, uptime, memory used, connected clients (summed over cluster masters). */
  async serverInfo(): Promise<RedisServerInfo> {
    return readServerInfo(this.#nodes())
  }

  /**
   * Tries to take the stampede lease of `key` for `ttl` ms (SET NX PX). Returns the token to
   * release it with, or `undefined` when another process holds it.
   */
  async acquireLease(key: string, ttl: number): Promise<string | undefined> {
    const token = randomBytes(12).toString('base64url')
    const ok = await this.client.set(this.#leaseKey(key), token, 'PX', Math.max(1, Math.ceil(ttl)), 'NX')
    return ok === 'OK' ? token : undefined
  }

  /** True while some process holds the lease of `key`. */
  async leaseHeld(key: string): Promise<boolean> {
    return (await this.client.exists(this.#leaseKey(key))) === 1
  }

  /** Extends a lease for `ttl` ms if `token` still holds it (a leader's heartbeat). */
  async refreshLease(key: string, token: string, ttl: number): Promise<boolean> {
    const px = String(Math.max(1, Math.ceil(ttl)))
    return (await (this.client as ScriptClient).cacheRefreshLease(this.#leaseKey(key), token, px)) === 1
  }

  /**
   * Reads the generations guarding a load of `key` (its own, its tags', its namespaces') and the
   * server clock and, with `leaseTtl`, tries to take the lease: one script on standalone and
   * Sentinel. On a Cluster these keys live in different slots: the lease and each generation are
   * read by separate commands, and the clock is this process's.
   */
  async beginLoad(
    key: string,
    tags: readonly string[],
    prefixes: readonly string[],
    leaseTtl: number | undefined,
  ): Promise<{ token: string | undefined; fence: LoadFence }> {
    const keys = [
      this.#genKey('k', key),
      ...tags.map((t) => this.#genKey('t', t)),
      ...prefixes.map((p) => this.#genKey('p', p)),
    ]
    const token = leaseTtl === undefined ? undefined : randomBytes(12).toString('base64url')
    const px = leaseTtl === undefined ? '0' : String(Math.max(1, Math.ceil(leaseTtl)))
    if (this.#cluster) {
      const at = Date.now()
      const [taken, generations] = await Promise.all([
        token === undefined ? false : this.client.set(this.#leaseKey(key), token, 'PX', px, 'NX'),
        Promise.all(keys.map(async (k) => (await this.client.get(k)) ?? '0')),
      ])
      return { token: taken ? token : undefined, fence: { at, keys, generations } }
    }
    const leaseKeys = token === undefined ? [] : [this.#leaseKey(key)]
    const [taken, at, ...generations] = await (this.client as ScriptClient).cacheBeginLoad(
      String(leaseKeys.length + keys.length),
      ...leaseKeys,
      ...keys,
      token ?? '',
      px,
    )
    return { token: taken === 1 ? token : undefined, fence: { at: Number(at), keys, generations } }
  }

  /**
   * Stores a loaded value only if none of the generations in `fence` moved since the load began
   * (and the load is younger than `generationTtl`), releasing the lease `token` in the same
   * script. On a Cluster the check and the write are separate commands: an invalidation that
   * lands between them (one round trip) is not seen.
   */
  async setFenced(
    key: string,
    value: Uint8Array,
    ttl: number,
    tags: readonly string[],
    fence: LoadFence,
    token: string | undefined,
  ): Promise<FencedWrite> {
    const rkey = this.redisKey(key)
    if (this.#cluster) {
      let outcome: FencedWrite = 'stored'
      if (Date.now() - fence.at >= Number(this.#genTtl)) outcome = 'expired'
      else {
        const now = await Promise.all(fence.keys.map(async (k) => (await this.client.get(k)) ?? '0'))
        if (now.some((g, i) => g !== fence.generations[i])) outcome = 'invalidated'
      }
      if (outcome === 'stored') await this.#write(this.client, key, value, ttl, tags, false)
      if (token !== undefined) await this.releaseLease(key, token)
      return outcome
    }
    const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    const px = Number.isFinite(ttl) ? String(Math.max(1, Math.ceil(ttl))) : ''
    const tagKeys = tags.map((t) => this.#tagKey(t))
    const leaseKeys = token === undefined ? [] : [this.#leaseKey(key)]
    const result = await (this.client as ScriptClient).cacheSetFenced(
      String(2 + tagKeys.length + fence.keys.length + leaseKeys.length),
      rkey,
      this.#entryTagsKey(rkey),
      ...tagKeys,
      ...fence.keys,
      ...leaseKeys,
      buf,
      px,
      String(tagKeys.length),
      String(fence.at),
      this.#genTtl,
      token ?? '',
      ...fence.generations,
    )
    return result === 1 ? 'stored' : result === 0 ? 'invalidated' : 'expired'
  }

  /** Releases a lease taken with {@link acquireLease}, only if it is still ours. */
  async releaseLease(key: string, token: string): Promise<void> {
    await (this.client as ScriptClient).cacheReleaseLease(this.#leaseKey(key), token)
  }

  #leaseKey(key: string): string {
    return boundedKey(`${this.#prefix}__lease:`, key)
  }

  /** An invalidation bus on `channel`, over its own subscriber connection. Closed with the store. */
  createBus(channel: string): RedisBus {
    const bus = new RedisBus(this.client, `${this.#prefix}__bus:${channel}`)
    this.#buses.add(bus)
    return bus
  }

  #nodes(): Redis[] {
    return this.#cluster ? (this.client as Cluster).nodes('master') : [this.client as Redis]
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await Promise.all([...this.#buses].map((b) => b.close()))
    if (!this.#owned) return
    const ended = new Promise((r) => this.client.once('end', r))
    try {
      await Promise.race([this.client.quit(), new Promise((r) => setTimeout(r, 500).unref())])
    } catch {
      // quit fails on a connection that is already gone; disconnect below is enough.
    }
    this.client.disconnect()
    await Promise.race([ended, new Promise((r) => setTimeout(r, 500).unref())])
  }
}

/** Redis answers a missing key with null; the store contract says `undefined`. */
function nullToUndefined(bytes: Buffer | null): Buffer | undefined {
  return bytes ?? undefined
}
