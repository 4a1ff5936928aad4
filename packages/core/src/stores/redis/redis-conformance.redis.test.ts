import {
  describeStoreConformance,
  type RedisClusterHandle,
  startRedisCluster,
  useRedis,
} from '@cache/test-utils'
import { afterAll, beforeAll, describe } from 'vitest'
import { describeLoadFencing } from './redis-fencing-suite.js'
import { RedisStore } from './redis-store.js'

const redis = useRedis()

describeStoreConformance('RedisStore (standalone)', async () => {
  const store = new RedisStore({ url: redis.url })
  await store.ready()
  return { store, prefix: redis.prefix }
})

describeLoadFencing('RedisStore load fencing (standalone)', async () => {
  const store = new RedisStore({ url: redis.url, keyPrefix: redis.prefix })
  await store.ready()
  return { store, prefix: '' }
})

describe('on a real 3-master Redis Cluster', () => {
  let cluster: RedisClusterHandle
  beforeAll(async () => {
    cluster = await startRedisCluster({ masters: 3 })
  })
  afterAll(async () => {
    await cluster?.stop()
  })

  describeStoreConformance('RedisStore (cluster)', async () => {
    const store = new RedisStore({ cluster: { nodes: [...cluster.nodes] } })
    await store.ready(10_000)
    return { store, prefix: 'conf:' }
  })

  describeLoadFencing('RedisStore load fencing (cluster)', async () => {
    const store = new RedisStore({ cluster: { nodes: [...cluster.nodes] } })
    await store.ready(10_000)
    return { store, prefix: '' }
  })
})
