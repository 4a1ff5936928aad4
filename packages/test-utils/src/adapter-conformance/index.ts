export { conformanceResponse, fetchRequests } from './conformance-response.js'
export {
  adapterConformanceScenarios,
  describeAdapterConformance,
  runAdapterConformanceScenario,
} from './describe-adapter-conformance.js'
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
