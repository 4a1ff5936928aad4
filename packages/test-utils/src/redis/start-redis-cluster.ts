import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { Cluster, type ClusterOptions } from 'ioredis'
import { findFreeClusterPorts, LOOPBACK } from './find-free-port.js'
import { AddressInUseError } from './redis-process.js'
import { type RedisServerHandle, startRedis } from './start-redis.js'

const execFileAsync = promisify(execFile)

/** Path or name of the `redis-cli` binary; `REDIS_CLI_BIN` overrides it. */
const REDIS_CLI_BIN = process.env.REDIS_CLI_BIN ?? 'redis-cli'

/** Options for {@link startRedisCluster}. */
export interface StartRedisClusterOptions {
  /** Number of master nodes (Redis Cluster needs at least 3); default 3. No replicas. */
  masters?: number
  /** Extra `redis.conf` directives for every node (see `StartRedisOptions.config`). */
  config?: Record<string, string | number>
  /** How long to wait for `cluster_state:ok` on every node; default 30 s. */
  readyTimeoutMs?: number
}

/** One node address of a cluster started by {@link startRedisCluster}. */
export interface RedisClusterNode {
  /** Always `127.0.0.1`. */
  host: string
  /** Client port (the cluster bus is `port + 10000`). */
  port: number
}

/** A running private Redis Cluster. */
export interface RedisClusterHandle {
  /** Every master, in slot order of creation. */
  readonly nodes: readonly RedisClusterNode[]
  /** The underlying per-node handles (kill or pause one node for fault tests). */
  readonly servers: readonly RedisServerHandle[]
  /** A new ioredis `Cluster` client, closed by {@link RedisClusterHandle.stop}. */
  client(options?: ClusterOptions): Cluster
  /** Closes every client, stops every node and removes the cluster's temp dir. Idempotent. */
  stop(): Promise<void>
}

/**
 * Starts a real Redis Cluster of `masters` nodes on 127.0.0.1 (ports chosen so that both the client
 * port and the bus port `port + 10000` are free), joins them with `redis-cli --cluster create`, and
 * resolves once every node reports `cluster_state:ok`. Node config files live in a temp dir that
 * {@link RedisClusterHandle.stop} removes.
 */
export async function startRedisCluster(options: StartRedisClusterOptions = {}): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3
  if (!Number.isInteger(masters) || masters < 3) throw new Error('a Redis Cluster needs at least 3 masters')
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchCluster(masters, options)
    } catch (error) {
      // Ports are probed, not reserved: when one was taken in between, start over with new ones.
      if (!(error instanceof AddressInUseError) || attempt >= 3) throw error
    }
  }
}

async function launchCluster(
  masters: number,
  options: StartRedisClusterOptions,
): Promise<RedisClusterHandle> {
  const dir = await mkdtemp(join(tmpdir(), 'cache-redis-cluster-'))
  const servers: RedisServerHandle[] = []
  const clients = new Set<Cluster>()
  const password = options.config?.requirepass === undefined ? undefined : String(options.config.requirepass)
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    for (const client of clients) client.disconnect()
    clients.clear()
    await Promise.all(servers.map((server) => server.stop()))
    await rm(dir, { recursive: true, force: true })
  }

  try {
    const ports = await findFreeClusterPorts(masters)
    const started = await Promise.allSettled(
      ports.map((port) =>
        startRedis({
          port,
          config: {
            ...options.config,
            'cluster-enabled': 'yes',
            'cluster-config-file': join(dir, `nodes-${port}.conf`),
            // Short enough for failure tests, long enough not to flap on a loaded CI machine.
            'cluster-node-timeout': 5000,
          },
        }),
      ),
    )
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value)
    const failed = started.find((result): result is PromiseRejectedResult => result.status === 'rejected')
    if (failed) throw failed.reason

    const auth = password === undefined ? [] : ['-a', password, '--no-auth-warning']
    await execFileAsync(
      REDIS_CLI_BIN,
      [...auth, '--cluster', 'create', ...ports.map((port) => `${LOOPBACK}:${port}`)].concat(
        '--cluster-replicas',
        '0',
        '--cluster-yes',
      ),
      { timeout: 60_000 },
    )
    await waitForClusterOk(servers, options.readyTimeoutMs ?? 30_000)

    const nodes = ports.map((port) => ({ host: LOOPBACK, port }))
    return {
      nodes,
      servers,
      client(clientOptions) {
        if (stopped) throw new Error('client() after stop()')
        const client = new Cluster(nodes, {
          ...clientOptions,
          redisOptions: { ...(password === undefined ? {} : { password }), ...clientOptions?.redisOptions },
        })
        client.on('error', () => {})
        clients.add(client)
        return client
      },
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

async function waitForClusterOk(servers: readonly RedisServerHandle[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  const admins = servers.map((server) => server.client({ maxRetriesPerRequest: 1 }))
  try {
    while (true) {
      const infos = await Promise.all(admins.map((admin) => admin.call('CLUSTER', 'INFO') as Promise<string>))
      // Every node must agree: state ok, all slots served, and it knows every other master.
      const ready = infos.every(
        (info) =>
          info.includes('cluster_state:ok') &&
          info.includes('cluster_slots_ok:16384') &&
          info.includes(`cluster_known_nodes:${servers.length}`),
      )
      if (ready) return
      if (Date.now() > deadline) {
        throw new Error(`Redis Cluster not ok after ${timeoutMs} ms:\n${infos.join('\n---\n')}`)
      }
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  } finally {
    for (const admin of admins) admin.disconnect()
  }
}
