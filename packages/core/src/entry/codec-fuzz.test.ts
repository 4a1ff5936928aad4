import { describe, expect, it } from 'vitest'
import { CacheError, errors } from '../errors.js'
import { decodeEntry, decodeValue, encodeEntry, encodeValue, peekEntryHeader } from './index.js'
import { Tag } from './value-tags.js'

/** Small seeded PRNG (mulberry32): the fuzz is random but reproducible. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const decoders = { decodeValue, decodeEntry, peekEntryHeader } as const

/** Decodes `bytes` with every decoder; each must return or throw ERR_CACHE_DECODE, nothing else. */
function probe(bytes: Uint8Array, stats: { ok: number; refused: number }): void {
  for (const [name, decode] of Object.entries(decoders)) {
    try {
      decode(bytes)
      stats.ok++
    } catch (error) {
      if (!(error instanceof CacheError) || error.code !== errors.ERR_CACHE_DECODE) {
        throw new Error(`${name}(${Buffer.from(bytes).toString('hex')}) threw ${String(error)}`, {
          cause: error,
        })
      }
      stats.refused++
    }
  }
}

const sparse: unknown[] = [1]
sparse[10] = 'x'
const corpusValues: unknown[] = [
  null,
  undefined,
  true,
  -12345,
  -0,
  Number.NaN,
  2n ** 70n,
  'short',
  'long string '.repeat(20),
  'lone \ud800',
  new Date(0),
  /re+/gi,
  Buffer.from('buffer bytes'),
  new Float64Array([1.5, Number.NaN, -0]),
  new DataView(new ArrayBuffer(6)),
  new ArrayBuffer(3),
  sparse,
  { plain: [1, 'two', { three: 3 }] },
  { a: undefined, b: [undefined, -0], c: new Map<unknown, unknown>([[{ k: 1 }, new Set([1, 'x'])]]) },
  Object.assign(Object.create(null), { n: 1 }),
  [[[[[['deep']]]]]],
]
const repetitive = Array.from({ length: 300 }, (_, i) => ({
  id: i % 7,
  label: 'repeated label',
  on: i % 2 === 0,
}))

const corpus: Buffer[] = [
  ...corpusValues.map((v) => encodeValue(v)),
  ...corpusValues.map((v) =>
    encodeEntry({
      value: v,
      createdAt: 1,
      expiresAt: Number.POSITIVE_INFINITY,
      staleUntil: 5,
      tags: ['t', 'ü'],
    }),
  ),
  encodeEntry(
    { value: repetitive, createdAt: 1, expiresAt: 2, staleUntil: 3, tags: [] },
    { compressThreshold: 100 },
  ),
]

describe('codec fuzz: every input decodes or throws ERR_CACHE_DECODE', () => {
  it('corpus entries decode (sanity check of the corpus)', () => {
    expect(peekEntryHeader(corpus.at(-1)!).compressed).toBe(true)
    for (const bytes of corpus.slice(corpusValues.length)) expect(() => decodeEntry(bytes)).not.toThrow()
  })

  it('random bytes', () => {
    const rand = prng(1)
    const stats = { ok: 0, refused: 0 }
    for (let i = 0; i < 3000; i++) {
      const bytes = new Uint8Array(Math.floor(rand() * 300))
      for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(rand() * 256)
      probe(bytes, stats)
    }
    expect(stats.refused).toBeGreaterThan(0)
  })

  it('random bytes behind a valid entry prefix, and random tag streams', () => {
    const rand = prng(2)
    const stats = { ok: 0, refused: 0 }
    const tags = Object.values(Tag)
    for (let i = 0; i < 3000; i++) {
      const bytes = new Uint8Array(4 + Math.floor(rand() * 120))
      for (let j = 0; j < bytes.length; j++) {
        // Mostly tags and small numbers, so the structure gets past the first byte more often.
        const r = rand()
        bytes[j] =
          r < 0.5 ? tags[Math.floor(rand() * tags.length)]! : r < 0.9 ? Math.floor(rand() * 8) : rand() * 256
      }
      probe(bytes, stats)
      bytes.set([0xce, 0xc0, 1, rand() < 0.5 ? 0 : 1])
      probe(bytes, stats)
    }
    expect(stats.ok).toBeGreaterThan(100)
    expect(stats.refused).toBeGreaterThan(100)
  })

  it('bit flips and byte overwrites of valid encodings', () => {
    const rand = prng(3)
    const stats = { ok: 0, refused: 0 }
    for (let i = 0; i < 4000; i++) {
      const bytes = Buffer.from(corpus[Math.floor(rand() * corpus.length)]!)
      const edits = 1 + Math.floor(rand() * 3)
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * bytes.length)
        if (rand() < 0.5) bytes[at]! ^= 1 << Math.floor(rand() * 8)
        else bytes[at] = Math.floor(rand() * 256)
      }
      probe(bytes, stats)
    }
    expect(stats.ok).toBeGreaterThan(100)
    expect(stats.refused).toBeGreaterThan(100)
  })

  it('every truncation of valid encodings', () => {
    const stats = { ok: 0, refused: 0 }
    for (const bytes of corpus) {
      for (let n = 0; n < bytes.length; n++) probe(bytes.subarray(0, n), stats)
    }
    expect(stats.refused).toBeGreaterThan(0)
  })

  it('huge claimed lengths and counts fail fast without allocating', () => {
    const huge = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f] // ~2^52
    const inputs = [
      [Tag.STRING_UTF8, ...huge],
      [Tag.STRING_UTF16, ...huge],
      [Tag.JSON, ...huge],
      [Tag.BINARY, 2, ...huge],
      [Tag.BIGINT, 0, ...huge],
      [Tag.ARRAY, ...huge, Tag.NULL],
      [Tag.OBJECT, ...huge],
      [Tag.MAP, ...huge],
      [Tag.SET, ...huge],
      [Tag.ARRAY, 1, Tag.HOLES, ...huge],
      [Tag.INT, ...huge],
      [Tag.STRING_UTF8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
    ]
    const started = performance.now()
    for (const input of inputs.slice(5, 9)) {
      // Counts are checked against the bytes left before any loop starts.
      expect(() => decodeValue(Buffer.from(input))).toThrow(/exceeds the input/)
    }
    for (const input of inputs) {
      expect(() => decodeValue(Buffer.from(input))).toThrow(
        expect.objectContaining({ code: errors.ERR_CACHE_DECODE }),
      )
    }
    expect(performance.now() - started).toBeLessThan(500)
  })
})
