import { randomBytes } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'
import { RedisBus } from '../../bus/redis-bus.js'
import { CacheError, errors } from '../../errors.js'
import { busChannel } from '../../keys/key-layout.js'
import { assertKnownOptions } from '../../known-options.js'
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
import {
  type ClusterClient,
  clusterBeginLoad,
  clusterDelete,
  clusterInvalidateTags,
  clusterSetFenced,
  clusterWrite,
} from './redis-cluster-steps.js'
import { connectRedis, disconnectRedis } from './redis-connection.js'
import { RedisConnectionState } from './redis-connection-state.js'
import { type RedisServerInfo, readServerInfo } from './redis-info.js'
import { escapeGlob, RedisKeyspace } from './redis-keys.js'
import { RedisReads } from './redis-reads.js'
import { countMatching, unlinkMatching } from './redis-scan.js'
import { type Client, defineScripts, type ScriptClient } from './redis-script-client.js'
import {
  scriptBeginLoad,
  scriptDelete,
  scriptInvalidateTags,
  scriptSetFenced,
  scriptWrite,
} from './redis-script-steps.js'
import { stampsOf, stampValue } from './redis-stamp.js'
import { REDIS_STORE_OPTIONS, type RedisStoreOptions, storeLifetimes } from './redis-store-options.js'
import { pxOf, toBuffer } from './redis-values.js'

export type { RedisStoreOptions } from './redis-store-options.js'

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
  readonly #keys: RedisKeyspace
  readonly #cluster: boolean
  readonly #genTtl: string
  /** How long a tag's generation lives once bumped: stamped entries must not outlive it. */
  readonly #tagGenTtl: string
  readonly #stampTtl: number
  readonly #buses = new Set<RedisBus>()
  readonly #connection: RedisConnectionState
  readonly #reads: RedisReads
  #closed = false

  constructor(options: RedisStoreOptions) {
    if (options === null || typeof options !== 'object') {
      throw new CacheError(
        errors.ERR_CACHE_INVALID_OPTION,
        'RedisStore expects an options object: { url }, { redis }, { cluster } or { client }',
      )
    }
    assertKnownOptions(options, REDIS_STORE_OPTIONS, 'RedisStore options')
    // Checked before connecting: a refused option leaves no client behind.
    const lifetimes = storeLifetimes(options)
    const { client, owned } = connectRedis(options)
    this.client = client
    this.#owned = owned
    this.#prefix = options.keyPrefix ?? ''
    this.#keys = new RedisKeyspace(this.#prefix)
    this.#cluster = (client as Cluster).isCluster === true
    this.#genTtl = String(lifetimes.generationTtl)
    this.#stampTtl = lifetimes.stampTtl
    this.#tagGenTtl = String(Math.max(lifetimes.generationTtl, lifetimes.stampTtl))
    // MGET answers N keys for about the client cost of one GET; a cluster's getMany is N GETs anyway.
    this.capabilities = { shared: true, persistent: true, batchGets: !this.#cluster }
    this.#reads = new RedisReads(client, this.#cluster, this.#keys, !this.#cluster && this.#stampTtl > 0)
    // Listens to 'error' too: an unhandled 'error' event would crash the process.
    this.#connection = new RedisConnectionState(client, redisAddress(options, client))
    defineScripts(client)
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
    return this.#keys.entry(key)
  }

  /**
   * The bytes of `key`. `guards` are the store-level tags the entry may keep as stamps (see
   * {@link setFenced}): their generations are read in the same MGET.
   */
  get(key: string, guards?: readonly string[]): Promise<Uint8Array | undefined> {
    try {
      return this.#reads.get(this.redisKey(key), guards)
    } catch (error) {
      return Promise.reject(error)
    }
  }

  /** The bytes of each key, in order; `guards[i]` are the stamp tags key `i` may carry (see {@link get}). */
  getMany(
    keys: readonly string[],
    guards?: readonly (readonly string[] | undefined)[],
  ): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return Promise.resolve([])
    try {
      return this.#reads.getMany(
        keys.map((k) => this.#keys.entry(k)),
        guards,
      )
    } catch (error) {
      return Promise.reject(error)
    }
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
   * Writes an entry with its tags, and bumps the key's generation so that loads of the key that
   * started before this write are not stored after it.
   */
  #write(
    target: Client,
    key: string,
    value: Uint8Array,
    ttl: number,
    tags: readonly string[],
  ): Promise<unknown> {
    const buf = toBuffer(value)
    const px = pxOf(ttl)
    if (this.#cluster)
      return clusterWrite(target as ClusterClient, this.#keys, key, buf, px, tags, this.#genTtl)
    return scriptWrite(target as ScriptClient, this.#keys, key, buf, px, tags, this.#genTtl)
  }

  async delete(key: string): Promise<boolean> {
    const c = this.client as ScriptClient
    if (this.#cluster) return clusterDelete(c as ClusterClient, this.#keys, key, this.#genTtl)
    return scriptDelete(c, this.#keys, key, this.#genTtl)
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    if (tags.length === 0) return 0
    const c = this.client as ScriptClient
    if (this.#cluster) return clusterInvalidateTags(c as ClusterClient, this.#keys, tags, this.#tagGenTtl)
    return scriptInvalidateTags(c, this.#keys, tags, this.#tagGenTtl)
  }

  async clear(prefix: string, progress?: () => void): Promise<number> {
    // The generation first: a load of the namespace that started before the clear stores nothing.
    await (this.client as ScriptClient).cacheBump(this.#keys.generation('p', prefix), this.#genTtl)
    progress?.()
    return unlinkMatching(this.client, this.#nodes(), `${escapeGlob(this.#prefix + prefix)}*`, progress)
  }

  /** Removes keys matching a glob pattern (SCAN MATCH + UNLINK, never KEYS). */
  async clearMatching(pattern: string): Promise<number> {
    return unlinkMatching(this.client, this.#nodes(), escapeGlob(this.#prefix) + pattern)
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

  /** Counts keys under `prefix` with SCAN (sampled over the whole keyspace, never KEYS). */
  async count(prefix: string): Promise<number> {
    return countMatching(this.#nodes(), `${escapeGlob(this.#prefix + prefix)}*`)
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
    const ok = await this.client.set(this.#keys.lease(key), token, 'PX', Math.max(1, Math.ceil(ttl)), 'NX')
    return ok === 'OK' ? token : undefined
  }

  /** True while some process holds the lease of `key`. */
  async leaseHeld(key: string): Promise<boolean> {
    return (await this.client.exists(this.#keys.lease(key))) === 1
  }

  /** Extends a lease for `ttl` ms if `token` still holds it (a leader's heartbeat). */
  async refreshLease(key: string, token: string, ttl: number): Promise<boolean> {
    return (
      (await (this.client as ScriptClient).cacheRefreshLease(this.#keys.lease(key), token, pxOf(ttl))) === 1
    )
  }

  /**
   * Reads the generations guarding a load of `key` (its own, its tags', its namespaces') and the
   * server clock and, with `leaseTtl`, tries to take the lease: one script on standalone and
   * Sentinel (on a Cluster, see `clusterBeginLoad`).
   */
  async beginLoad(
    key: string,
    tags: readonly string[],
    prefixes: readonly string[],
    leaseTtl: number | undefined,
  ): Promise<{ token: string | undefined; fence: LoadFence }> {
    const keys = [
      this.#keys.generation('k', key),
      ...tags.map((t) => this.#keys.generation('t', t)),
      ...prefixes.map((p) => this.#keys.generation('p', p)),
    ]
    const token = leaseTtl === undefined ? undefined : randomBytes(12).toString('base64url')
    const px = leaseTtl === undefined ? '0' : pxOf(leaseTtl)
    const c = this.client as ScriptClient
    if (this.#cluster) return clusterBeginLoad(c as ClusterClient, this.#keys, key, keys, token, px)
    return scriptBeginLoad(c, this.#keys, key, keys, token, px)
  }

  /**
   * Stores a loaded value only if none of the generations in `fence` moved since the load began
   * (and the load is younger than `generationTtl`), releasing the lease `token`, in one script
   * (on a Cluster, see `clusterSetFenced`).
   *
   * `stamps` (a subset of `tags`) may be kept as a stamp of the generations the load began
   * under rather than in tag sets: the write then sets one key, and `invalidateTags` of such a
   * tag bumps its generation, which readers compare with the stamp. Only on standalone and
   * Sentinel, and only for an entry that lives at most `stampTtl` (an invalidated tag's
   * generation must outlive every entry stamped with it); otherwise they are indexed as tags.
   */
  async setFenced(
    key: string,
    value: Uint8Array,
    ttl: number,
    tags: readonly string[],
    fence: LoadFence,
    token: string | undefined,
    stamps?: readonly string[],
  ): Promise<FencedWrite> {
    const c = this.client as ScriptClient
    let buf = toBuffer(value)
    const px = pxOf(ttl)
    const stamped = this.#cluster || ttl > this.#stampTtl ? undefined : stampsOf(this.#keys, stamps, fence)
    if (stamped !== undefined) {
      buf = stampValue(stamped, buf)
      tags = tags.filter((t) => !stamps!.includes(t))
    }
    if (this.#cluster) {
      const write = () => clusterWrite(c as ClusterClient, this.#keys, key, buf, px, tags, undefined)
      return clusterSetFenced(c as ClusterClient, this.#keys, write, key, fence, token, this.#genTtl)
    }
    return scriptSetFenced(c, this.#keys, key, buf, px, tags, fence, token, this.#genTtl)
  }

  /** Releases a lease taken with {@link acquireLease}, only if it is still ours. */
  async releaseLease(key: string, token: string): Promise<void> {
    await (this.client as ScriptClient).cacheReleaseLease(this.#keys.lease(key), token)
  }

  /** An invalidation bus on `channel`, over its own subscriber connection. Closed with the store. */
  createBus(channel: string): RedisBus {
    const bus = new RedisBus(this.client, `${this.#prefix}${busChannel(channel)}`)
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
    if (this.#owned) await disconnectRedis(this.client)
  }
}
