export {
  type CallInit,
  CONTRACT_HOST,
  type ContractResponse,
  call,
  handlerCalls,
  postJson,
  totalCalls,
} from './contract-client.js'
export type { ContractContext } from './contract-context.js'
export {
  describeHttpContract,
  type HttpContractOptions,
  type StartContractApp,
} from './describe-http-contract.js'
export {
  type ContractApp,
  type ContractAppEnv,
  type StartNodeAppOptions,
  startNodeApp,
} from './start-node-app.js'
