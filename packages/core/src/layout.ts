/**
 * `@cache/core/layout`: how a `Cache` lays its data out in a shared store, for packages that read
 * or write a store directly (`@cache/ops`, `cachectl`) rather than through a `Cache`. The key
 * layout (`<root>[/<child>...]:<key>`, tags qualified by the root namespace, `__`-prefixed store
 * internals, the bus channel), the entry header that can be read without decoding the value, and the invalidation
 * message the bus carries. The entry codec itself (`encodeEntry`, `decodeEntry`, `CODEC_VERSION`)
 * is exported by `@cache/core`.
 */
export type { BusEnvelope, BusMessage } from './bus/invalidation-bus.js'
export { type EntryHeader, peekEntryHeader } from './entry/index.js'
export {
  busChannel,
  inPrefixes,
  isInternalKey,
  namespacePrefixes,
  qualifyTags,
  rootNamespace,
  splitKey,
} from './keys/key-layout.js'
