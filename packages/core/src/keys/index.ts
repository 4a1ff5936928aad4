export { CANONICAL_FORMAT_VERSION, canonicalEncode, MAX_KEY_DEPTH } from './canonical-encode.js'
export { hashKey } from './hash-key.js'
