export { MAX_DECOMPRESSED_BYTES } from './compression.js'
export { decodeValue } from './decode-value.js'
export { encodeValue } from './encode-value.js'
export type { CacheEntry } from './entry.js'
export {
  CODEC_VERSION,
  type DecodeEntryOptions,
  decodeEntry,
  type EntryCodecOptions,
  type EntryHeader,
  encodeEntry,
  peekEntryHeader,
} from './entry-codec.js'
export { MAX_DEPTH } from './json-scan.js'
