export { conformanceResponse, httpRequests } from './conformance-response.js'
export {
  adapterConformanceScenarios,
  describeAdapterConformance,
  runAdapterConformanceScenario,
} from './describe-adapter-conformance.js'
export {
  describeAdapterConformanceRedis,
  runRedisConformanceScenario,
} from './describe-adapter-conformance-redis.js'
export {
  type RedisConformanceContext,
  type RedisConformanceScenario,
  redisScenarios,
} from './redis-scenarios.js'
export type {
  AdapterConformanceContext,
  AdapterConformanceScenario,
  ConformanceOptions,
} from './scenario.js'
export type {
  AdapterConformanceFactory,
  ConformanceApp,
  ConformanceReply,
  ConformanceRequest,
  ConformanceRequestInit,
  ConformanceResponse,
  ConformanceRoute,
  ConformanceSetup,
} from './types.js'
