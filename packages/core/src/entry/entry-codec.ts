import { type ByteWriter, varintWidth } from '../bytes/byte-writer.js'
import { CacheError, errors } from '../errors.js'
import { ByteReader } from './byte-reader.js'
import { decodeError, guardDecode, unencodableError } from './codec-errors.js'
import { compress, decompress } from './compression.js'
import { readValue } from './decode-value.js'
import { writeValue } from './encode-value.js'
import type { CacheEntry } from './entry.js'
import { Tag } from './value-tags.js'
import { acquireWriter, releaseWriter } from './writer-pool.js'

/**
 * Version of the entry wire format, stored in every entry. Decoding refuses any other version
 * with `ERR_CACHE_DECODE` (the entry then reads as a miss and is rewritten in the new format).
 */
export const CODEC_VERSION = 1

/** First two bytes of every entry. 0xC0 never occurs in UTF-8, so an entry is never mistaken for text. */
const MAGIC_0 = 0xce
const MAGIC_1 = 0xc0

/** Flag bit: the value section is Brotli-compressed, preceded by its varint uncompressed length. */
const FLAG_BROTLI = 0x01
const KNOWN_FLAGS = FLAG_BROTLI

/** Magic (2) + version (1) + flags (1) + three float64 timestamps. */
const FIXED_HEADER = 28

/** Options of {@link encodeEntry}. */
export interface EntryCodecOptions {
  /**
   * Brotli-compress the encoded value when it is larger than this many bytes (and only if that
   * makes it smaller). The header is never compressed, so {@link peekEntryHeader} stays cheap.
   * @default undefined (no compression)
   */
  compressThreshold?: number | undefined
}

/** What {@link peekEntryHeader} reads without decoding the value. */
export interface EntryHeader {
  /** Wire format version of the entry (always {@link CODEC_VERSION} for a header that decodes). */
  codecVersion: number
  /** Epoch ms when the entry was written. */
  createdAt: number
  /** Epoch ms after which the entry is stale (`Infinity` for no expiry). */
  expiresAt: number
  /** Epoch ms until which a stale entry may be served. */
  staleUntil: number
  /** Tags of the entry. */
  tags: string[]
  /** The value section is compressed. */
  compressed: boolean
  /** Total size of the encoded entry in bytes (header and value). */
  byteLength: number
}

/**
 * Encodes an entry as self-describing bytes:
 *
 * ```text
 * 0xCE 0xC0 | version u8 | flags u8 | createdAt f64 | expiresAt f64 | staleUntil f64   (little-endian)
 * tag count varint | tags (string values) | value (see encodeValue), or if flags & 1:
 * uncompressed length varint | Brotli stream
 * ```
 *
 * All-or-nothing: a value that cannot be encoded throws `ERR_CACHE_UNENCODABLE_VALUE` (message
 * naming the path, e.g. `$.user.fn`, and the type) before any bytes are returned. Like
 * `Buffer.from`, a small result may live in Node's shared Buffer pool: a store that keeps bytes
 * for long should copy them into memory of their own.
 */
export function encodeEntry(entry: CacheEntry, options?: EntryCodecOptions): Buffer {
  const threshold = options?.compressThreshold
  if (threshold !== undefined && !(typeof threshold === 'number' && threshold >= 0)) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `compressThreshold must be a number >= 0, got ${String(threshold)}`,
    )
  }
  const w = acquireWriter()
  try {
    writeHeader(w, entry)
    const valueStart = w.pos
    writeValue(w, entry.value)
    const valueLength = w.pos - valueStart
    if (threshold !== undefined && valueLength > threshold) {
      const packed = compressed(w, valueStart, valueLength)
      if (packed !== undefined) return packed
    }
    return w.finish()
  } finally {
    releaseWriter(w)
  }
}

function writeHeader(w: ByteWriter, entry: CacheEntry): void {
  if (entry === null || typeof entry !== 'object')
    throw unencodableError('entry', `an entry of type ${typeof entry}`)
  const { createdAt, expiresAt, staleUntil, tags } = entry
  for (const [name, t] of [
    ['createdAt', createdAt],
    ['expiresAt', expiresAt],
    ['staleUntil', staleUntil],
  ] as const) {
    if (typeof t !== 'number') throw unencodableError(`entry.${name}`, `a timestamp of type ${typeof t}`)
  }
  if (!Array.isArray(tags)) throw unencodableError('entry.tags', 'tags that are not an array')
  w.ensure(FIXED_HEADER)
  const buf = w.buf
  buf[0] = MAGIC_0
  buf[1] = MAGIC_1
  buf[2] = CODEC_VERSION
  buf[3] = 0
  buf.writeDoubleLE(createdAt, 4)
  buf.writeDoubleLE(expiresAt, 12)
  buf.writeDoubleLE(staleUntil, 20)
  w.pos = FIXED_HEADER
  w.varint(tags.length)
  for (let i = 0; i < tags.length; i++) {
    const tag: unknown = tags[i]
    if (typeof tag !== 'string') throw unencodableError(`entry.tags[${i}]`, `a tag of type ${typeof tag}`)
    if (!w.utf8(Tag.STRING_UTF8, tag)) w.utf16(Tag.STRING_UTF16, tag)
  }
}

/** The whole entry with its value compressed, or `undefined` when compression does not pay. */
function compressed(w: ByteWriter, valueStart: number, valueLength: number): Buffer | undefined {
  const packed = compress(w.buf.subarray(valueStart, valueStart + valueLength))
  const width = varintWidth(valueLength)
  if (width + packed.byteLength >= valueLength) return undefined
  w.buf[3] = FLAG_BROTLI
  w.pos = valueStart
  w.varint(valueLength)
  w.bytes(packed)
  return w.finish()
}

/** Options of {@link decodeEntry}. */
export interface DecodeEntryOptions {
  /**
   * Copy `Buffer` values into Node's shared allocation pool (as `Buffer.from(string)` does)
   * rather than into memory of their own: for an entry that is handed to a caller and kept by no
   * tier, since a pooled copy pins its whole pool slab. Other binary kinds always get their own.
   * @default false
   */
  pooled?: boolean
}

/**
 * Decodes bytes made by {@link encodeEntry}. Wrong magic, another codec version, unknown flags,
 * truncation, corrupted lengths, trailing bytes or a bad compressed stream all throw
 * `ERR_CACHE_DECODE` (never another error type). The result shares no memory with `bytes`.
 */
export function decodeEntry(bytes: Uint8Array, options?: DecodeEntryOptions): CacheEntry {
  return guardDecode(() => {
    const reader = new ByteReader(bytes)
    const header = readHeader(reader)
    let valueReader = reader
    if (header.compressed) {
      const length = reader.varint()
      valueReader = new ByteReader(decompress(reader.view(reader.remaining()), length))
    }
    const value = readValue(valueReader, options?.pooled === true)
    if (valueReader.pos !== valueReader.end) {
      throw decodeError(`${valueReader.end - valueReader.pos} trailing bytes after the value`)
    }
    return {
      value,
      createdAt: header.createdAt,
      expiresAt: header.expiresAt,
      staleUntil: header.staleUntil,
      tags: header.tags,
    }
  })
}

/**
 * Reads an entry's header (timestamps, tags, flags) without decoding or decompressing the
 * value: cheap enough to scan many entries (CLI listings, sync). Throws `ERR_CACHE_DECODE` on a
 * header that does not decode; a corrupted value section is only found by {@link decodeEntry}.
 */
export function peekEntryHeader(bytes: Uint8Array): EntryHeader {
  return guardDecode(() => readHeader(new ByteReader(bytes)))
}

function readHeader(r: ByteReader): EntryHeader {
  if (r.remaining() < FIXED_HEADER)
    throw decodeError(`${r.remaining()} bytes is shorter than an entry header`)
  const buf = r.buf
  if (buf[0] !== MAGIC_0 || buf[1] !== MAGIC_1) throw decodeError('not a cache entry (wrong magic bytes)')
  const version = buf[2]!
  if (version !== CODEC_VERSION) {
    throw decodeError(`codec version ${version} is not supported (this build reads version ${CODEC_VERSION})`)
  }
  const flags = buf[3]!
  if ((flags & ~KNOWN_FLAGS) !== 0) throw decodeError(`unknown flags 0x${flags.toString(16)}`)
  r.pos = 4
  const createdAt = r.f64()
  const expiresAt = r.f64()
  const staleUntil = r.f64()
  // Each tag takes at least 2 bytes (string tag and length).
  const count = r.count(2)
  const tags: string[] = []
  for (let i = 0; i < count; i++) {
    const tag = r.u8()
    if (tag === Tag.STRING_UTF8) tags.push(r.utf8(r.varint()))
    else if (tag === Tag.STRING_UTF16) tags.push(r.utf16(r.varint()))
    else throw decodeError(`expected a tag string at offset ${r.pos - 1}`)
  }
  return {
    codecVersion: version,
    createdAt,
    expiresAt,
    staleUntil,
    tags,
    compressed: (flags & FLAG_BROTLI) !== 0,
    byteLength: r.end,
  }
}
