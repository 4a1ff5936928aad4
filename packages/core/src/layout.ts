/**
 * `@cache/core/layout`: how a `Cache` lays its data out in a shared store, for packages that read
 * or write a store directly (`@cache/ops`, `cachectl`) rather than through a `Cache`. The key
 * layout (`<root>[/<child>...]:<key>`, tags qualified by the root namespace, `__`-prefixed store
 * internals, the bus channel), the entry header that can be read without decoding the value, the
 * invalidation message the bus carries, and the entry codec (`encodeEntry`, `decodeEntry`,
 * `CODEC_VERSION`).
 */
export type { BusEnvelope, BusMessage } from './bus/invalidation-bus.js'
export type { CacheEntry } from './entry/entry.js'
export {
  CODEC_VERSION,
  type DecodeEntryOptions,
  decodeEntry,
  type EntryHeader,
  encodeEntry,
  peekEntryHeader,
} from './entry/index.js'
export {
  busChannel,
  inPrefixes,
  isInternalKey,
  namespacePrefixes,
  qualifyTags,
  rootNamespace,
  splitKey,
} from './keys/key-layout.js'
