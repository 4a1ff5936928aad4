import type { Redis } from 'ioredis'

/** Facts about the Redis server(s) behind a store. */
export interface RedisServerInfo {
  /** `redis_version` of the (first) server. */
  version: string
  /** Uptime in seconds (the smallest over cluster masters). */
  uptimeSeconds: number
  /** `used_memory` in bytes, summed over cluster masters. */
  usedMemoryBytes: number
  /** `connected_clients`, summed over cluster masters. */
  connectedClients: number
  /** Number of servers asked (1, or the cluster's masters). */
  servers: number
}

function field(info: string, name: string): string | undefined {
  const m = new RegExp(`^${name}:(.*)$`, 'm').exec(info)
  return m?.[1]?.trim()
}

/** Reads `INFO server`, `memory` and `clients` from each node and sums them. */
export async function readServerInfo(nodes: Redis[]): Promise<RedisServerInfo> {
  const infos = await Promise.all(nodes.map((n) => n.info()))
  return {
    version: field(infos[0] ?? '', 'redis_version') ?? 'unknown',
    uptimeSeconds: Math.min(...infos.map((i) => Number(field(i, 'uptime_in_seconds') ?? 0))),
    usedMemoryBytes: infos.reduce((a, i) => a + Number(field(i, 'used_memory') ?? 0), 0),
    connectedClients: infos.reduce((a, i) => a + Number(field(i, 'connected_clients') ?? 0), 0),
    servers: infos.length,
  }
}
