/**
 * `@cache/core/plugin`: what packages built on the engine call, and applications do not: the
 * option checks the engine itself uses (an unknown key fails at setup with a did-you-mean, and
 * flags that follow the engine's own options as they grow), and the parts of the store contract
 * a store author implements beyond the `CacheStore` interface of `@cache/core`.
 */
export { GET_OR_SET_FLAGS } from './get-or-set.js'
export { assertKnownOptions, type OptionFlags, optionKeys } from './known-options.js'
export {
  type ConnectableStore,
  STORE_CONTRACT_VERSION,
  type StoreCapabilities,
  type StoreWrite,
} from './stores/store.js'
