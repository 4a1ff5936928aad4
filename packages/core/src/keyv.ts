/**
 * `@cache/core/keyv`: wraps any Keyv instance as a store. `keyv` is an optional peer
 * dependency, loaded only by this entry point.
 */
export type { KeyvInstance } from './stores/keyv/keyv-instance.js'
export { KeyvStore, type KeyvStoreOptions } from './stores/keyv/keyv-store.js'
