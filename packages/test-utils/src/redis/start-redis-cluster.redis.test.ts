import { existsSync } from 'node:fs'
import { dirname } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { isPortFree } from './find-free-port.js'
import { type RedisClusterHandle, startRedisCluster } from './start-redis-cluster.js'

describe('startRedisCluster', () => {
  let cluster: RedisClusterHandle
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 })
  })
  afterAll(() => cluster?.stop())

  it('starts 3 masters that all report cluster_state:ok', async () => {
    expect(cluster.nodes).toHaveLength(3)
    for (const [i, node] of cluster.nodes.entries()) {
      expect(node.host).toBe('127.0.0.1')
      const info = (await cluster.servers[i]!.client().call('CLUSTER', 'INFO')) as string
      expect(info).toContain('cluster_state:ok')
      expect(info).toContain('cluster_size:3')
    }
  })

  it('stores keys through an ioredis Cluster client across all masters', async () => {
    const client = cluster.client()
    const keys = Array.from({ length: 60 }, (_, i) => `conformance:cluster:${i}`)
    await Promise.all(keys.map((key, i) => client.set(key, `v${i}`)))
    expect(await Promise.all(keys.map((key) => client.get(key)))).toEqual(keys.map((_, i) => `v${i}`))
    // A real cluster spreads 60 keys over every master; a single node would hold them all.
    const sizes = await Promise.all(cluster.servers.map((server) => server.client().dbsize()))
    expect(sizes.every((size) => size > 0)).toBe(true)
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(60)
  })

  it('stop() ends every node and removes the config dir', async () => {
    const other = await startRedisCluster()
    const configFile = (
      (await other.servers[0]!.client().config('GET', 'cluster-config-file')) as string[]
    )[1]!
    expect(existsSync(configFile)).toBe(true)
    const pids = other.servers.map((server) => server.pid)
    await other.stop()
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow()
    expect(existsSync(dirname(configFile))).toBe(false)
    for (const node of other.nodes) expect(await isPortFree(node.port)).toBe(true)
  })

  it('refuses fewer than 3 masters', async () => {
    await expect(startRedisCluster({ masters: 2 })).rejects.toThrow(/at least 3/)
  })
})
