import { brotliCompressSync, constants } from 'node:zlib'
import { assertExact } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { errors } from '../errors.js'
import { thrown } from './codec-test-helpers.js'
import {
  type CacheEntry,
  CODEC_VERSION,
  decodeEntry,
  encodeEntry,
  encodeValue,
  MAX_DECOMPRESSED_BYTES,
  peekEntryHeader,
} from './index.js'

const entry = (value: unknown, extra: Partial<CacheEntry> = {}): CacheEntry => ({
  value,
  createdAt: 1_700_000_000_000,
  expiresAt: 1_700_000_060_000,
  staleUntil: 1_700_000_120_000,
  tags: ['users', 'user:1'],
  ...extra,
})

const decodeFails = (bytes: Uint8Array) => thrown(() => decodeEntry(bytes), errors.ERR_CACHE_DECODE)

/** A large, very repetitive JSON-like value (~200 KB encoded). */
const repetitive = () =>
  Array.from({ length: 2000 }, (_, i) => ({ id: i % 10, name: 'same name', tags: ['a', 'b'], active: true }))

describe('entry codec: envelope', () => {
  it('round-trips an entry with every field, Infinity timestamps and unicode tags', () => {
    const e = entry(
      { a: [1, -0, new Date(0)] },
      {
        expiresAt: Number.POSITIVE_INFINITY,
        staleUntil: Number.POSITIVE_INFINITY,
        tags: ['ünï', '😀', 'lone\ud800', ''],
      },
    )
    const decoded = decodeEntry(encodeEntry(e))
    assertExact(decoded, e)
    expect(Object.keys(decoded)).toEqual(['value', 'createdAt', 'expiresAt', 'staleUntil', 'tags'])
  })

  it('copies Buffer values into memory of their own, or into the shared pool when asked', () => {
    const value = { body: Buffer.from('hello'), vector: new Float32Array([1, 2]) }
    const bytes = encodeEntry(entry(value))
    const owned = decodeEntry(bytes).value as typeof value
    expect(owned.body.buffer.byteLength).toBe(5)
    // Pooled: a Buffer shares Node's allocation pool (its backing store is larger than it), as
    // `Buffer.from(string)` does; it still shares no bytes with the encoded entry.
    const pooled = decodeEntry(bytes, { pooled: true }).value as typeof value
    assertExact(pooled, value)
    expect(pooled.body.buffer.byteLength).toBeGreaterThan(5)
    bytes.fill(0)
    expect(pooled.body.toString()).toBe('hello')
    // Other binary kinds always own their memory: a reader may use their `.buffer` as the data.
    expect(pooled.vector.buffer.byteLength).toBe(8)
  })

  it('starts with the magic bytes, the codec version and the flags', () => {
    const bytes = encodeEntry(entry('x'))
    expect([...bytes.subarray(0, 4)]).toEqual([0xce, 0xc0, CODEC_VERSION, 0])
    expect(CODEC_VERSION).toBe(1)
  })

  it('stores timestamps as float64 (fractions, negatives, NaN and -Infinity survive)', () => {
    const e = entry(null, { createdAt: 1.5, expiresAt: Number.NEGATIVE_INFINITY, staleUntil: Number.NaN })
    assertExact(decodeEntry(encodeEntry(e)), e)
  })

  it('returns a Buffer that owns exactly its bytes, for Uint8Array input too', () => {
    const bytes = encodeEntry(entry({ a: 1 }))
    expect(Buffer.isBuffer(bytes)).toBe(true)
    assertExact(decodeEntry(new Uint8Array(bytes)), entry({ a: 1 }))
  })

  it('refuses a wrong magic, another version and unknown flags', () => {
    const good = encodeEntry(entry({ a: 1 }))
    const patch = (at: number, byte: number) => {
      const copy = Buffer.from(good)
      copy[at] = byte
      return copy
    }
    expect(decodeFails(patch(0, 0x7b)).message).toContain('magic')
    expect(decodeFails(patch(1, 0x00)).message).toContain('magic')
    expect(decodeFails(patch(2, CODEC_VERSION + 1)).message).toContain(`version ${CODEC_VERSION + 1}`)
    expect(decodeFails(patch(2, 0)).message).toContain('version 0')
    expect(decodeFails(patch(3, 0x80)).message).toContain('flags')
    expect(decodeFails(Buffer.from(JSON.stringify({ value: 1 }))).message).toContain('Cannot decode')
  })

  it('refuses input that is not bytes at all with ERR_CACHE_DECODE', () => {
    for (const input of [undefined, null, 'text', 42, {}]) decodeFails(input as unknown as Uint8Array)
  })

  it('refuses truncated input at every length and trailing bytes', () => {
    const good = encodeEntry(entry({ list: [1, 2, 3], s: 'text' }))
    for (let n = 0; n < good.byteLength; n++) decodeFails(good.subarray(0, n))
    expect(decodeFails(Buffer.concat([good, Buffer.from([0])])).message).toContain('trailing')
  })

  it('validates the entry fields it writes', () => {
    const bad = [
      { ...entry(1), createdAt: '1' },
      { ...entry(1), expiresAt: undefined },
      { ...entry(1), tags: 'users' },
      { ...entry(1), tags: ['ok', 7] },
      null,
    ]
    for (const e of bad)
      thrown(() => encodeEntry(e as unknown as CacheEntry), errors.ERR_CACHE_UNENCODABLE_VALUE)
    expect(
      thrown(() => encodeEntry(entry({ fn: () => 1 })), errors.ERR_CACHE_UNENCODABLE_VALUE).message,
    ).toContain('$.fn')
  })

  it('shares no memory with the input', () => {
    const bytes = encodeEntry(entry({ buf: Buffer.from('keep') }))
    const decoded = decodeEntry(bytes) as CacheEntry<{ buf: Buffer }>
    bytes.fill(0)
    expect(decoded.value.buf.toString()).toBe('keep')
  })
})

describe('entry codec: peekEntryHeader', () => {
  it('reads the header without decoding the value', () => {
    const bytes = encodeEntry(entry({ a: 1 }, { expiresAt: Number.POSITIVE_INFINITY }))
    const headerEnd = bytes.byteLength - encodeValue({ a: 1 }).byteLength
    bytes[headerEnd] = 0xff // corrupt the value's tag: decode fails, peek does not look
    decodeFails(bytes)
    expect(peekEntryHeader(bytes)).toEqual({
      codecVersion: CODEC_VERSION,
      createdAt: 1_700_000_000_000,
      expiresAt: Number.POSITIVE_INFINITY,
      staleUntil: 1_700_000_120_000,
      tags: ['users', 'user:1'],
      compressed: false,
      byteLength: bytes.byteLength,
    })
  })

  it('reports compression without decompressing', () => {
    const bytes = encodeEntry(entry(repetitive()), { compressThreshold: 1024 })
    bytes.fill(0xff, bytes.byteLength - 20) // corrupt the compressed stream: decode fails, peek does not look
    decodeFails(bytes)
    expect(peekEntryHeader(bytes).compressed).toBe(true)
  })

  it('throws ERR_CACHE_DECODE on a bad header', () => {
    thrown(() => peekEntryHeader(Buffer.from('nope')), errors.ERR_CACHE_DECODE)
    const bytes = encodeEntry(entry(1))
    thrown(() => peekEntryHeader(bytes.subarray(0, 30)), errors.ERR_CACHE_DECODE)
  })
})

describe('entry codec: compression', () => {
  it('compresses a large repetitive value far smaller and round-trips it', () => {
    const value = repetitive()
    const plain = encodeEntry(entry(value))
    const packed = encodeEntry(entry(value), { compressThreshold: 1024 })
    expect(packed.byteLength * 20).toBeLessThan(plain.byteLength)
    expect(peekEntryHeader(packed).compressed).toBe(true)
    expect(packed[3]).toBe(1)
    assertExact(decodeEntry(packed), entry(value))
  })

  it('is off by default and leaves values at or under the threshold alone', () => {
    const value = repetitive()
    expect(peekEntryHeader(encodeEntry(entry(value))).compressed).toBe(false)
    const size = encodeValue(value).byteLength
    expect(peekEntryHeader(encodeEntry(entry(value), { compressThreshold: size })).compressed).toBe(false)
    expect(peekEntryHeader(encodeEntry(entry(value), { compressThreshold: size - 1 })).compressed).toBe(true)
  })

  it('stores incompressible values uncompressed', () => {
    const random = Buffer.alloc(4096)
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24
    const e = entry(Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(4096))))
    const bytes = encodeEntry(e, { compressThreshold: 0 })
    expect(peekEntryHeader(bytes).compressed).toBe(false)
    assertExact(decodeEntry(bytes), e)
  })

  it('refuses an invalid threshold with ERR_CACHE_INVALID_OPTION', () => {
    for (const compressThreshold of [-1, Number.NaN, '1kb']) {
      thrown(
        () => encodeEntry(entry(1), { compressThreshold } as unknown as { compressThreshold: number }),
        errors.ERR_CACHE_INVALID_OPTION,
      )
    }
  })

  const varint = (n: number) => {
    const out: number[] = []
    for (; n > 0x7f; n = Math.floor(n / 128)) out.push((n % 128) | 0x80)
    return [...out, n]
  }

  const withValueSection = (lengthVarint: number[], stream: Uint8Array) => {
    const header = encodeEntry(entry(null)).subarray(0, -1) // drop the 1-byte `null` value
    const out = Buffer.concat([header, Buffer.from(lengthVarint), stream])
    out[3] = 1
    return out
  }

  it('caps decompression at the stored length (zip bomb)', () => {
    // 64 MB of zeros in ~12 KB.
    const bomb = brotliCompressSync(Buffer.alloc(64 * 1024 * 1024), {
      params: { [constants.BROTLI_PARAM_QUALITY]: 1 },
    })
    expect(bomb.byteLength).toBeLessThan(20_000)
    const error = decodeFails(withValueSection(varint(1000), bomb))
    // zlib itself stopped at the cap (rather than inflating 64 MB and failing the length check after).
    expect((error.cause as { code?: string }).code).toBe('ERR_BUFFER_TOO_LARGE')
  })

  it(`refuses a stored length over ${MAX_DECOMPRESSED_BYTES} bytes, or zero`, () => {
    const stream = brotliCompressSync(Buffer.from([1]))
    expect(decodeFails(withValueSection(varint(MAX_DECOMPRESSED_BYTES + 1), stream)).message).toContain(
      'limit',
    )
    decodeFails(withValueSection(varint(0), brotliCompressSync(Buffer.alloc(0))))
    // The same stream with its true length decodes (to `null`), so the limit is what refused it.
    expect(decodeEntry(withValueSection(varint(1), stream)).value).toBeNull()
  })

  it('refuses a stream shorter than its stored length and a corrupted stream', () => {
    const stream = brotliCompressSync(encodeValue('hello'))
    decodeFails(withValueSection(varint(50), stream))
    decodeFails(withValueSection(varint(7), Buffer.from('not brotli at all')))
  })
})
