export { abandonRequest } from './abandon-request.js'
export * from './adapter-conformance/index.js'
export { assertExact } from './assert-exact.js'
export { type Deferred, deferred } from './deferred.js'
export { expectCleanShutdown } from './expect-clean-shutdown.js'
export { failingStore } from './failing-store.js'
export * from './http-contract/index.js'
export { invalidOption } from './invalid-option.js'
export { PATIENT_REMOTE } from './patient-remote.js'
export * from './redis/index.js'
export { REDIS_URL_KEY } from './redis/redis-url-key.js'
export { type RedisSource, type RedisTestContext, useRedis } from './redis/use-redis.js'
export { runToExit, type ScriptExit } from './run-to-exit.js'
export {
  describeStoreConformance,
  runStoreConformanceCheck,
  type StoreConformanceCheck,
  type StoreConformanceContext,
  type StoreConformanceFactory,
  type StoreConformanceFixture,
  storeConformanceChecks,
} from './store-conformance.js'
export { unreachableStore } from './unreachable-store.js'
export { type UntilOptions, until } from './until.js'
