import type { Cluster, ClusterNode, ClusterOptions, Redis, RedisOptions } from 'ioredis'
import { CacheError, errors } from '../../errors.js'
import { assertKnownOptions, optionKeys } from '../../known-options.js'
import { requirePeer } from '../../require-peer.js'

// ioredis is an optional peer: without it, loading `@cache/core/redis` says what to install.
const ioredis = requirePeer<typeof import('ioredis')>('ioredis', '@cache/core/redis')

/** How a {@link RedisStore} reaches Redis: one of `url` (optionally completed by `redis`), `redis`, `cluster` or `client`. */
export interface RedisConnectionOptions {
  /** `redis://[user:pass@]host:port/db` or `rediss://...` (TLS). */
  url?: string
  /** ioredis options: host/port, `username`/`password` (ACL), `tls`, `sentinels` + `name` (Sentinel). */
  redis?: RedisOptions
  /** Redis Cluster startup nodes and options. */
  cluster?: RedisClusterOptions
  /** An existing ioredis client or cluster. The store never closes a client it did not create. */
  client?: Redis | Cluster
  /**
   * ioredis `commandTimeout` for clients the store creates: a command unanswered after this
   * long is rejected. Off by default, because ioredis arms one timer per command (about the cost
   * of a GET on loopback) and a cache already cuts every store call at its own deadline
   * (`remote.timeout`, bucketed timers). Set it when the store is used without a cache.
   * @default undefined (no per-command timer)
   */
  commandTimeout?: number
}

/** The `cluster` option of {@link RedisConnectionOptions}. */
export interface RedisClusterOptions {
  /** Startup nodes: the client discovers the others. */
  nodes: ClusterNode[]
  /** ioredis cluster options (`redisOptions` for every node, `natMap`...). @default {} */
  options?: ClusterOptions
}

const CLUSTER_OPTIONS = optionKeys<RedisClusterOptions>({ nodes: true, options: true })

/**
 * Defaults for clients the store creates. No offline queue: while Redis is away a command fails
 * at once (the tier guard turns that into a miss) instead of piling up in memory and replaying
 * stale writes after reconnection. Reconnection is automatic with capped backoff.
 */
function safeDefaults(commandTimeout: number | undefined): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout,
    connectTimeout: 2000,
    enableAutoPipelining: true,
    // Reads are batched by the remote tier already (the gets of one tick share an MGET), and
    // ioredis defers an auto-pipelined command to `setImmediate`: a lone GET would wait for the
    // event loop's next check phase, about 25 µs added to every sequential read.
    autoPipeliningIgnoredCommands: ['get', 'mget'],
    retryStrategy: (times: number) => Math.min(50 * 2 ** Math.min(times, 5), 1000),
    lazyConnect: false,
  }
}

/** Creates (or adopts) the client; `owned` says whether the store must close it. */
export function connectRedis(options: RedisConnectionOptions): { client: Redis | Cluster; owned: boolean } {
  const given = ['url', 'cluster', 'client', ...(options.url === undefined ? ['redis'] : [])].filter(
    (k) => options[k as keyof RedisConnectionOptions] !== undefined,
  )
  if (given.length !== 1) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `RedisStore needs exactly one of url, redis, cluster or client (got ${given.length === 0 ? 'none' : given.join(', ')})`,
    )
  }
  const defaults = safeDefaults(options.commandTimeout)
  if (options.client !== undefined) return { client: options.client, owned: false }
  if (options.cluster !== undefined) {
    assertKnownOptions(options.cluster, CLUSTER_OPTIONS, 'RedisStore cluster options')
    const { nodes, options: clusterOptions } = options.cluster
    const client = new ioredis.Cluster(nodes, {
      enableOfflineQueue: false,
      enableAutoPipelining: true,
      clusterRetryStrategy: defaults.retryStrategy,
      ...clusterOptions,
      redisOptions: { ...defaults, ...clusterOptions?.redisOptions },
    })
    return { client, owned: true }
  }
  if (options.url !== undefined) {
    let parsed: URL
    try {
      parsed = new URL(options.url)
    } catch (cause) {
      throw new CacheError(
        errors.ERR_CACHE_INVALID_OPTION,
        `Invalid Redis URL ${JSON.stringify(options.url)}`,
        { cause },
      )
    }
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
      throw new CacheError(
        errors.ERR_CACHE_INVALID_OPTION,
        `Redis URL must start with redis:// or rediss:// (got ${parsed.protocol}//)`,
      )
    }
    // `redis` options may complete a URL (TLS CA, timeouts).
    return { client: new ioredis.Redis(options.url, { ...defaults, ...options.redis }), owned: true }
  }
  return { client: new ioredis.Redis({ ...defaults, ...options.redis }), owned: true }
}

/**
 * Closes a client the store created: `QUIT` (so the server sees a clean close), then a disconnect,
 * waiting at most 500 ms for each, so a dead server never hangs a shutdown.
 */
export async function disconnectRedis(client: Redis | Cluster): Promise<void> {
  const ended = new Promise((r) => client.once('end', r))
  try {
    await Promise.race([client.quit(), new Promise((r) => setTimeout(r, 500).unref())])
  } catch {
    // quit fails on a connection that is already gone; disconnect below is enough.
  }
  client.disconnect()
  await Promise.race([ended, new Promise((r) => setTimeout(r, 500).unref())])
}
