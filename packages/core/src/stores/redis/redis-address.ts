import type { Cluster, ClusterNode, Redis } from 'ioredis'
import type { RedisConnectionOptions } from './redis-connection.js'

/**
 * Where a Redis client connects, for logs and health checks, without a password: the URL with
 * its password and query removed (`redis://app@host:6379/2`), else what the client's options say
 * (`redis://host:6379/0`, `redis-sentinel://s1:26379/mymaster`, `redis-cluster://n1:7000,n2:7001`).
 */
export function redisAddress(options: RedisConnectionOptions, client: Redis | Cluster): string {
  if (options.url !== undefined) {
    const url = new URL(options.url)
    url.password = ''
    // ioredis also reads options from the query string, a password among them.
    url.search = ''
    url.hash = ''
    return url.toString()
  }
  if ((client as Cluster).isCluster === true) {
    const nodes =
      options.cluster?.nodes ?? (client as unknown as { startupNodes?: ClusterNode[] }).startupNodes ?? []
    return `redis-cluster://${nodes.map(nodeAddress).join(',')}`
  }
  const o = (client as Redis).options
  if (o.sentinels !== undefined && o.sentinels !== null && o.sentinels.length > 0) {
    return `redis-sentinel://${o.sentinels.map(nodeAddress).join(',')}/${o.name ?? ''}`
  }
  if (o.path) return `unix://${o.path}`
  return `${o.tls ? 'rediss' : 'redis'}://${o.host ?? 'localhost'}:${o.port ?? 6379}/${o.db ?? 0}`
}

function nodeAddress(node: ClusterNode | Partial<{ host: string; port: number }>): string {
  if (typeof node === 'number') return `localhost:${node}`
  // A string node may be a URL carrying a password: keep only host and port.
  if (typeof node === 'string') return /^\w+:\/\//.test(node) ? new URL(node).host : node
  return `${node.host ?? 'localhost'}:${node.port ?? 6379}`
}
