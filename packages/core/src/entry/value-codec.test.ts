import { assertExact } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { errors } from '../errors.js'
import { roundTrip, thrown } from './codec-test-helpers.js'
import { decodeValue, encodeValue } from './index.js'
import { Tag } from './value-tags.js'

// Wrapping a value in a Map forces the hand-written walker at the top, so each case below is
// checked both through the JSON fast path (where eligible) and through the tagged path.
const both = (value: unknown) => {
  roundTrip(value)
  roundTrip(new Map([['k', value]]))
  roundTrip({ forceWalk: undefined, value })
}

describe('value codec: primitives', () => {
  it('round-trips falsy values and undefined, at the top and nested', () => {
    for (const v of [0, false, '', null, undefined]) {
      both(v)
      both([v])
      both({ a: v })
    }
  })

  it('keeps -0, NaN and ±Infinity as plain numbers, including inside plain objects and arrays', () => {
    for (const v of [-0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      both(v)
      both({ n: v, other: 1 })
      both([1, v, 'x'])
    }
    expect(Object.is((decodeValue(encodeValue({ a: { b: -0 } })) as { a: { b: number } }).a.b, -0)).toBe(true)
  })

  it('round-trips integers at the int32 edges and doubles bit-exactly', () => {
    const values = [1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 53, -(2 ** 53), 0.1, -1.5]
    for (const v of [...values, Number.MAX_VALUE, Number.MIN_VALUE, Number.EPSILON, 1e21, 5e-324]) both(v)
  })

  it('round-trips bigints: zero, signs, byte boundaries and huge values', () => {
    for (const v of [
      0n,
      1n,
      -1n,
      255n,
      256n,
      -256n,
      2n ** 64n,
      -(2n ** 64n) + 1n,
      2n ** 1000n + 12345n,
      -(7n ** 500n),
    ]) {
      both(v)
    }
  })
})

describe('value codec: strings', () => {
  const samples = [
    '',
    'ascii',
    'é',
    '€uro',
    '😀',
    'a😀b𝄞c',
    '\u0000\u001f"\\',
    '\ud800',
    '\udc00',
    'x\udc00\ud800y',
    'end\ud83d',
    '€'.repeat(42), // 126 UTF-8 bytes: the largest short string
    'a'.repeat(41) + '😀', // a surrogate pair across the short/long boundary
    'long ascii '.repeat(20),
    'long ünïcödé 😀 '.repeat(20),
    'long with a lone surrogate '.repeat(5) + '\ud800' + 'tail',
  ]

  it('round-trips unicode, astral characters and lone surrogates exactly', () => {
    for (const s of samples) {
      both(s)
      both({ [s]: s })
    }
  })

  it('stores ill-formed strings as UTF-16 (UTF-8 would turn a lone surrogate into U+FFFD)', () => {
    expect(encodeValue('\ud800')[0]).toBe(Tag.STRING_UTF16)
    expect(encodeValue('ok 😀')[0]).toBe(Tag.STRING_UTF8)
    expect(decodeValue(encodeValue('\ud800'))).not.toBe('\ufffd')
  })
})

describe('value codec: binary', () => {
  const ctors = [
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array,
  ] as const

  it('keeps Buffer a Buffer and Uint8Array not a Buffer', () => {
    const buf = decodeValue(encodeValue(Buffer.from('hello'))) as Buffer
    expect(Buffer.isBuffer(buf)).toBe(true)
    expect(buf.toString()).toBe('hello')
    const u8 = decodeValue(encodeValue(new Uint8Array([1, 2, 3])))
    expect(Buffer.isBuffer(u8)).toBe(false)
    expect(Object.getPrototypeOf(u8)).toBe(Uint8Array.prototype)
    both(Buffer.alloc(0))
    both({ nested: [Buffer.from([0, 255])] })
  })

  it('round-trips every typed array, including views at a non-zero byteOffset', () => {
    for (const Ctor of ctors) {
      const backing = new ArrayBuffer(64)
      new Uint8Array(backing).fill(0xab)
      const view = new Ctor(backing, 8, 3)
      view.set([1, 2, 3])
      const copy = roundTrip(view)
      expect(copy.byteLength).toBe(3 * Ctor.BYTES_PER_ELEMENT)
      // Only the view's bytes were encoded, not the whole backing buffer.
      expect(copy.buffer.byteLength).toBe(copy.byteLength)
      both(new Ctor(0))
    }
    for (const Ctor of [BigInt64Array, BigUint64Array]) {
      const view = new Ctor(new ArrayBuffer(48), 16, 2)
      view.set([1n, 2n ** 63n - 1n])
      expect(roundTrip(view).buffer.byteLength).toBe(16)
    }
  })

  it('encodes only the bytes of a pooled Buffer slice', () => {
    const small = Buffer.from('abc') // lives inside Node's shared 8 KB pool
    expect(small.buffer.byteLength).toBeGreaterThan(3)
    expect(encodeValue(small).byteLength).toBeLessThan(10)
    expect((decodeValue(encodeValue(small)) as Buffer).buffer.byteLength).toBe(3)
  })

  it('keeps NaN, -0 and ±Infinity inside float arrays bit-exact, NaN payloads included', () => {
    const specials = [Number.NaN, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5]
    both(new Float32Array(specials))
    both(new Float64Array(specials))
    const payload = new Uint8Array([1, 0, 0, 0, 0, 0, 0xf8, 0x7f]) // a NaN with a non-default payload
    const f64 = new Float64Array(payload.buffer)
    const copy = decodeValue(encodeValue(f64)) as Float64Array
    expect(Buffer.from(copy.buffer).equals(Buffer.from(payload))).toBe(true)
  })

  it('round-trips DataView (with offset) and ArrayBuffer', () => {
    const ab = new ArrayBuffer(16)
    new Uint8Array(ab).set([9, 8, 7, 6, 5, 4, 3, 2, 1])
    both(ab)
    both(new DataView(ab, 4, 5))
    expect((decodeValue(encodeValue(new DataView(ab, 4, 5))) as DataView).byteLength).toBe(5)
  })

  it('never aliases the input bytes', () => {
    const encoded = encodeValue({ b: Buffer.from('xyz'), u: new Uint16Array([7]), forceWalk: undefined })
    const decoded = decodeValue(encoded) as { b: Buffer; u: Uint16Array }
    encoded.fill(0)
    expect(decoded.b.toString()).toBe('xyz')
    expect(decoded.u[0]).toBe(7)
  })

  it.runIf(typeof (globalThis as { Float16Array?: unknown }).Float16Array === 'function')(
    'round-trips Float16Array where the runtime has it',
    () => {
      const F16 = (globalThis as unknown as { Float16Array: new (a: number[]) => ArrayBufferView })
        .Float16Array
      both(new F16([1.5, -0, Number.NaN]))
    },
  )
})

describe('value codec: objects and collections', () => {
  it('round-trips Date, including an invalid Date', () => {
    both(new Date(1_700_000_000_123))
    both(new Date(-1))
    const invalid = decodeValue(encodeValue(new Date(Number.NaN))) as Date
    expect(invalid).toBeInstanceOf(Date)
    expect(Number.isNaN(invalid.getTime())).toBe(true)
  })

  it('round-trips RegExp source and flags (lastIndex is not kept)', () => {
    both(/a+b[\]/]\u{1F600}/giu)
    const re = /x/g
    re.lastIndex = 3
    expect((decodeValue(encodeValue(re)) as RegExp).lastIndex).toBe(0)
  })

  it('round-trips Map with keys of any type, in insertion order', () => {
    const objKey = { id: 1 }
    const map = new Map<unknown, unknown>([
      ['z', 1],
      [1, 'one'],
      [objKey, [1, 2]],
      [Number.NaN, 'nan'],
      [undefined, null],
      [null, undefined],
      [10n, new Date(0)],
      [['array', 'key'], new Map([[1, 2]])],
      ['a', { deep: new Set([1]) }],
    ])
    both(map)
    expect([...(decodeValue(encodeValue(map)) as Map<unknown, unknown>).keys()].slice(0, 2)).toEqual(['z', 1])
  })

  it('round-trips Set in insertion order', () => {
    both(new Set([3, 'b', 1, { a: 1 }, [2], undefined, -0]))
    both(new Set())
    both(new Map())
  })

  it('round-trips nested objects and arrays, empty ones too', () => {
    both({})
    both([])
    both([[], {}, [[{}]]])
    both({ a: { b: { c: [1, { d: 'e', f: [true, null] }] } }, g: 'h' })
  })

  it('keeps the key of a property set to undefined', () => {
    const copy = decodeValue(encodeValue({ a: undefined, b: 1 })) as Record<string, unknown>
    expect(Object.keys(copy)).toEqual(['a', 'b'])
    expect('a' in copy).toBe(true)
    both({ a: undefined })
  })

  it('keeps property order, integer-like keys included', () => {
    const copy = decodeValue(encodeValue({ b: 1, 2: 'x', a: new Date(0), 1: 'y' })) as object
    expect(Object.keys(copy)).toEqual(['1', '2', 'b', 'a'])
  })

  it('keeps array holes (sparse arrays are not densified) and explicit undefined', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is the point of the test
    const sparse = [1, , 3, , ,]
    const copy = decodeValue(encodeValue(sparse)) as unknown[]
    expect(copy.length).toBe(5)
    expect(1 in copy).toBe(false)
    expect(4 in copy).toBe(false)
    both(sparse)
    both([undefined, 1])
    expect(0 in (decodeValue(encodeValue([undefined])) as unknown[])).toBe(true)
  })

  it('encodes a huge sparse array by its elements, not its length', () => {
    const sparse: unknown[] = []
    sparse[1e9] = 'x'
    sparse[5] = { y: -0 }
    const bytes = encodeValue(sparse)
    expect(bytes.byteLength).toBeLessThan(40)
    const copy = decodeValue(bytes) as unknown[]
    expect(copy.length).toBe(1e9 + 1)
    expect(copy[1e9]).toBe('x')
    expect(Object.is((copy[5] as { y: number }).y, -0)).toBe(true)
  })

  it('drops non-index properties of arrays (as JSON does)', () => {
    const copy = decodeValue(encodeValue(Object.assign([1, 2], { extra: true }))) as unknown as Record<
      string,
      unknown
    >
    expect(copy.extra).toBeUndefined()
    expect(copy).toEqual([1, 2])
  })

  it('keeps an own __proto__ key as an own data property without touching the prototype', () => {
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}')
    for (const value of [parsed, { ...{ forceWalk: undefined }, ...parsed }]) {
      const copy = decodeValue(encodeValue(value)) as Record<string, unknown>
      expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
      expect(Object.hasOwn(copy, '__proto__')).toBe(true)
      expect(copy.polluted).toBeUndefined()
      assertExact(copy, value)
    }
    // Forced through the tagged walker, with a value the JSON path could not carry.
    const walked = decodeValue(encodeValue(new Map([['k', JSON.parse('{"__proto__": {"x": 1}}')]])))
    expect(Object.hasOwn((walked as Map<string, object>).get('k')!, '__proto__')).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('round-trips null-prototype objects with a null prototype', () => {
    const o = Object.assign(Object.create(null), { a: 1, __proto__x: 2 })
    Object.defineProperty(o, '__proto__', {
      value: 'own',
      enumerable: true,
      writable: true,
      configurable: true,
    })
    const copy = decodeValue(encodeValue(o)) as object
    expect(Object.getPrototypeOf(copy)).toBeNull()
    both(o)
  })

  it('duplicates shared (non-cyclic) references', () => {
    const shared = { a: 1 }
    const copy = decodeValue(encodeValue({ x: shared, y: shared, z: new Map([[shared, shared]]) })) as Record<
      string,
      unknown
    >
    expect(copy.x).toEqual(shared)
    expect(copy.x).not.toBe(copy.y)
  })

  it('classifies a JSON-unsafe value deep in a plain tree, and inside Map and Set entries', () => {
    both({ a: { b: { c: { d: undefined } } }, e: { f: [1, 2] } })
    both({ x: [{ y: -0 }], z: [{ w: 1 }] })
    both(new Map([[{ k: Number.NaN }, { v: [undefined] }]]))
    both(new Set([{ s: 1n }, [{ t: -0 }]]))
  })

  it('ignores symbol keys and non-enumerable properties (like JSON and structuredClone)', () => {
    const o = { a: 1, [Symbol('s')]: 2 }
    Object.defineProperty(o, 'hidden', { value: 3, enumerable: false })
    expect(decodeValue(encodeValue(o))).toStrictEqual({ a: 1 })
  })

  it('uses the JSON fast path for plain JSON values and the tagged walker otherwise', () => {
    expect(encodeValue({ a: [1, 'x', null] })[0]).toBe(Tag.JSON)
    expect(encodeValue({ a: -0 })[0]).toBe(Tag.OBJECT)
    expect(encodeValue({ a: [undefined] })[0]).toBe(Tag.OBJECT)
  })

  it('keeps values exact when a getter makes the JSON scan fail once', () => {
    let reads = 0
    const value = {
      get flaky() {
        if (reads++ === 0) throw new Error('first read fails')
        return 1
      },
      later: { n: -0 },
    }
    // The scan stopped early, so `later` was never classified: it must not go through JSON.
    const copy = decodeValue(encodeValue(value)) as { later: { n: number } }
    expect(Object.is(copy.later.n, -0)).toBe(true)
  })

  it('is re-entrant: a getter that encodes while encoding does not corrupt the outer bytes', () => {
    const value = {
      first: 'a'.repeat(100),
      get inner() {
        return encodeValue({ other: 'b'.repeat(100), n: -0 }).byteLength
      },
      last: [-0, 'c'.repeat(100)],
    }
    const copy = decodeValue(encodeValue(value)) as Record<string, unknown>
    expect(copy.first).toBe('a'.repeat(100))
    expect(copy.inner).toBeTypeOf('number')
    assertExact(copy.last, [-0, 'c'.repeat(100)])
  })

  it('keeps working after a refused encode (the scratch buffer is reset)', () => {
    thrown(() => encodeValue({ big: 'x'.repeat(5000), fn: () => 1 }), errors.ERR_CACHE_UNENCODABLE_VALUE)
    both({ after: 'ok', n: -0 })
  })

  it('accepts any Uint8Array view as input, at a non-zero offset', () => {
    const bytes = encodeValue({ a: [1, 2, -0] })
    const padded = new Uint8Array(bytes.byteLength + 10)
    padded.set(bytes, 5)
    assertExact(decodeValue(padded.subarray(5, 5 + bytes.byteLength)), { a: [1, 2, -0] })
  })
})
