export { commandCalls } from './command-calls.js'
export { deleteKeysByPrefix, escapeRedisGlob } from './delete-keys-by-prefix.js'
export { findFreeClusterPorts, findFreePort, isPortFree, LOOPBACK } from './find-free-port.js'
export { answersPing, probeRedis, type RedisProbe } from './redis-process.js'
export { startPrivateRedis } from './start-private-redis.js'
export { type RedisServerHandle, type StartRedisOptions, startRedis } from './start-redis.js'
export {
  type RedisClusterHandle,
  type RedisClusterNode,
  type StartRedisClusterOptions,
  startRedisCluster,
} from './start-redis-cluster.js'
