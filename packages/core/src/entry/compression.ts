import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib'
import { decodeError } from './codec-errors.js'

/**
 * Largest value, in bytes, that decoding will decompress: a stored length above it, or a stream
 * inflating past its stored length, is refused with `ERR_CACHE_DECODE` (zip-bomb guard).
 */
export const MAX_DECOMPRESSED_BYTES = 512 * 1024 * 1024

// Brotli quality 3 measured on 8-85 KB JSON-like values (Node 20): ratio 0.10-0.13 against 0.11-0.15
// for deflate-raw level 6, compressing 1.6-1.8x faster from 30 KB up, same decompression speed.
// Quality 11 (the zlib default) is ~100x slower: never use it on the request path.
const QUALITY = 3

/** Brotli-compresses encoded value bytes. */
export function compress(bytes: Uint8Array): Buffer {
  return brotliCompressSync(bytes, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: QUALITY,
      [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength,
    },
  })
}

/** Decompresses a value stored with its uncompressed length, refusing anything past that length. */
export function decompress(bytes: Uint8Array, length: number): Buffer {
  if (length === 0 || length > MAX_DECOMPRESSED_BYTES) {
    throw decodeError(`compressed value claims ${length} bytes (limit ${MAX_DECOMPRESSED_BYTES})`)
  }
  // maxOutputLength makes zlib stop (RangeError, wrapped by the caller) instead of inflating a bomb.
  const out = brotliDecompressSync(bytes, { maxOutputLength: length })
  if (out.byteLength !== length) throw decodeError(`decompressed ${out.byteLength} bytes, expected ${length}`)
  return out
}
