/**
 * `@cache/core/keyv`: wraps any Keyv instance as a store. `keyv` is an optional peer
 * dependency, loaded only by this entry point.
 */
export { KeyvStore, type KeyvStoreOptions } from './stores/keyv/keyv-store.js'
