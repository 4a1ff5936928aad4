import { describe, expect, it } from 'vitest'
import { errors, isCacheError } from '../errors.js'
import { canonicalEncode, hashKey, MAX_KEY_DEPTH } from './index.js'

function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

function nestArrays(depth: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = [v]
  return v
}

function nestObjects(depth: number): unknown {
  let v: unknown = 1
  for (let i = 0; i < depth; i++) v = { a: v }
  return v
}

/** `[0, <hole>, 2]`, written without a sparse literal. */
function holey(): unknown[] {
  const a: unknown[] = [0]
  a[2] = 2
  return a
}

describe('hashKey', () => {
  it('returns 64 lowercase hex characters', () => {
    expect(hashKey({ a: 1 })).toMatch(/^[0-9a-f]{64}$/)
  })

  it('ignores property order at every level', () => {
    const a = { a: 1, b: 2, n: { x: [{ p: 1, q: 2 }], y: { deep: { m: 1, n: 2 } } } }
    const b = { n: { y: { deep: { n: 2, m: 1 } }, x: [{ q: 2, p: 1 }] }, b: 2, a: 1 }
    expect(hashKey(a)).toBe(hashKey(b))
    const many = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`k${i}`, i]))
    expect(hashKey(many)).toBe(hashKey(Object.fromEntries(Object.entries(many).reverse())))
  })

  it.each<[string, unknown, unknown]>([
    ['number vs string', 1, '1'],
    ['array vs object', [], {}],
    ['null vs undefined', null, undefined],
    ['undefined property vs missing', { a: undefined }, {}],
    ['null property vs missing', { a: null }, {}],
    ['null property vs undefined property', { a: null }, { a: undefined }],
    ['undefined element vs no element', [undefined], []],
    ['boolean vs string', true, 'true'],
    ['false vs 0', false, 0],
    ['number vs bigint', 1, 1n],
    ['bigint vs string', 1n, '1'],
    ['string vs bytes', 'ab', Buffer.from('ab')],
    ['empty string vs empty bytes', '', new Uint8Array(0)],
    ['Date vs its time value', new Date(0), 0],
    ['array vs object with numeric keys', ['a', 'b'], { 0: 'a', 1: 'b' }],
    ['array vs Set', [1], new Set([1])],
    ['object vs Map', { a: 1 }, new Map([['a', 1]])],
    ['nested array vs flat array', [[1], 2], [[1, 2]]],
    ['Map key vs value', new Map([['a', 'b']]), new Map([['b', 'a']])],
    ['Unicode forms are not normalized', '\u00e9', 'e\u0301'],
  ])('keeps types distinct: %s', (_, a, b) => {
    expect(hashKey(a)).not.toBe(hashKey(b))
  })

  it.each<[string, unknown, unknown]>([
    ['-0 is 0', -0, 0],
    ['-0 is 0 inside objects', { a: [-0] }, { a: [0] }],
    ['Buffer and Uint8Array with the same bytes', Buffer.from([1, 2, 3]), new Uint8Array([1, 2, 3])],
    [
      'a Buffer view hashes only its own bytes',
      Buffer.from([9, 1, 2, 9]).subarray(1, 3),
      Buffer.from([1, 2]),
    ],
    ['null-prototype and plain objects', Object.assign(Object.create(null), { a: 1 }), { a: 1 }],
    ['a hole and undefined', holey(), [0, undefined, 2]],
    [
      'Map insertion order',
      new Map<unknown, unknown>([
        [{ k: 1 }, 'a'],
        ['b', 2],
      ]),
      new Map<unknown, unknown>([
        ['b', 2],
        [{ k: 1 }, 'a'],
      ]),
    ],
    ['Set insertion order', new Set<unknown>([3, 'x', [1]]), new Set<unknown>([[1], 'x', 3])],
    ['Dates with the same time', new Date(1_700_000_000_000), new Date('2023-11-14T22:13:20.000Z')],
    [
      'strings however they are built',
      ['a'.repeat(40) + '\u00e9', '\ud83d' + '\ude00', 'x\u00e9'.slice(0, 1)],
      [`${'a'.repeat(40)}é`, '😀', 'x'],
    ],
    ['symbol keys are ignored', { a: 1, [Symbol('s')]: 2 }, { a: 1 }],
  ])('hashes equal: %s', (_, a, b) => {
    expect(hashKey(a)).toBe(hashKey(b))
  })

  it.each<[string, unknown, unknown]>([
    ["['ab','c'] vs ['a','bc']", ['ab', 'c'], ['a', 'bc']],
    ["{a:'b:c'} vs {'a:b':'c'}", { a: 'b:c' }, { 'a:b': 'c' }],
    ["{ab:'c'} vs {a:'bc'}", { ab: 'c' }, { a: 'bc' }],
    ['bytes', [Buffer.from('ab'), Buffer.from('c')], [Buffer.from('a'), Buffer.from('bc')]],
    ['Map entries', new Map([['ab', 'c']]), new Map([['a', 'bc']])],
    ['bigints', [1n, 23n], [12n, 3n]],
    ['nesting', { a: { b: 1 }, c: 2 }, { a: { b: 1, c: 2 } }],
  ])('field boundaries cannot collide: %s', (_, a, b) => {
    expect(hashKey(a)).not.toBe(hashKey(b))
  })

  it('encodes __proto__ and constructor as ordinary own keys, never walking the prototype', () => {
    const proto = JSON.parse('{"__proto__":1}')
    const ctor = { constructor: 1 }
    expect(new Set([hashKey(proto), hashKey({}), hashKey(ctor)]).size).toBe(3)
    expect(hashKey(JSON.parse('{"__proto__":{"x":1}}'))).not.toBe(hashKey({}))
    const defined = Object.defineProperty({}, '__proto__', { value: 1, enumerable: true })
    expect(hashKey(defined)).toBe(hashKey(proto))
  })

  it('does not read array holes from a polluted prototype', () => {
    Object.defineProperty(Array.prototype, '1', { value: 'polluted', configurable: true })
    try {
      expect(hashKey(holey())).toBe(hashKey([0, undefined, 2]))
    } finally {
      delete (Array.prototype as unknown as Record<string, unknown>)['1']
    }
  })

  it('keeps lone surrogates apart from U+FFFD and from each other', () => {
    const long = 'x'.repeat(50)
    const distinct = [
      '\ud800',
      '\udc00',
      '\ufffd',
      `${long}\ud800`,
      `${long}\ufffd`,
      '\ud800\ud800',
      '\ufffd\ufffd',
    ]
    expect(new Set(distinct.map((s) => hashKey(s))).size).toBe(distinct.length)
    expect(hashKey({ '\ud800': 1 })).not.toBe(hashKey({ '\ufffd': 1 }))
  })

  it('allows shared references that are not cycles', () => {
    const shared = { x: [1, 2] }
    expect(hashKey({ a: shared, b: shared, c: [shared, shared] })).toBe(
      hashKey({ a: { x: [1, 2] }, b: { x: [1, 2] }, c: [{ x: [1, 2] }, { x: [1, 2] }] }),
    )
  })

  it('accepts MAX_KEY_DEPTH levels and refuses one more', () => {
    expect(MAX_KEY_DEPTH).toBe(256)
    expect(hashKey(nestArrays(MAX_KEY_DEPTH))).toMatch(/^[0-9a-f]{64}$/)
    expect(
      isCacheError(
        thrown(() => hashKey(nestArrays(MAX_KEY_DEPTH + 1))),
        errors.ERR_CACHE_INVALID_KEY_INPUT,
      ),
    ).toBe(true)
  })

  it.each([
    ['arrays', nestArrays],
    ['objects', nestObjects],
  ])('refuses 100,000-deep %s with a CacheError, not a stack overflow', (_, nest) => {
    const error = thrown(() => hashKey(nest(100_000)))
    expect(isCacheError(error, errors.ERR_CACHE_INVALID_KEY_INPUT)).toBe(true)
    expect((error as Error).message).toMatch(/deeper than MAX_KEY_DEPTH \(256\)/)
    expect((error as Error).message.length).toBeLessThan(300)
  })

  const cyclic: Record<string, unknown> = { a: [1] }
  ;(cyclic.a as unknown[]).push({ back: cyclic })
  const selfArray: unknown[] = []
  selfArray.push(selfArray)
  class Point {
    x = 1
  }

  it.each<[string, unknown, string]>([
    ['NaN', { a: [0, 1, 2, { b: Number.NaN }] }, 'NaN at $.a[3].b'],
    ['Infinity', [Number.POSITIVE_INFINITY], 'Infinity at $[0]'],
    ['-Infinity', { 'x-y': Number.NEGATIVE_INFINITY }, '-Infinity at $["x-y"]'],
    ['a function', { f: () => 1 }, 'a function at $.f'],
    ['a symbol', [Symbol('s')], 'a symbol at $[0]'],
    ['an object cycle', cyclic, 'a cycle at $.a[1].back'],
    ['an array cycle', selfArray, 'a cycle at $[0]'],
    ['a class instance', { p: new Point() }, 'an instance of Point at $.p'],
    [
      'an object with a custom prototype',
      Object.create({ inherited: 1 }),
      'an object with a custom prototype at $',
    ],
    ['a typed array other than Uint8Array', new Float64Array(1), 'an instance of Float64Array'],
    ['an invalid Date', new Date(Number.NaN), 'an invalid Date at $'],
    ['NaN as a Map key', new Map([[Number.NaN, 1]]), 'NaN at $[key #0]'],
    ['a function in a Set', { s: new Set([1, () => 1]) }, 'a function at $.s[#1]'],
  ])('refuses %s, saying what and where', (_, input, message) => {
    const error = thrown(() => hashKey(input))
    expect(isCacheError(error, errors.ERR_CACHE_INVALID_KEY_INPUT)).toBe(true)
    expect((error as Error).message).toContain(message)
  })

  it('recovers after a refused input', () => {
    const before = hashKey({ a: new Map([[1, { b: 2 }]]) })
    thrown(() => hashKey({ a: new Map([[1, { b: Number.NaN }]]) }))
    expect(hashKey({ a: new Map([[1, { b: 2 }]]) })).toBe(before)
  })

  it('is reentrant: a getter that calls hashKey does not corrupt the outer hash', () => {
    const inner = hashKey({ y: [1, 2, 3] })
    const withGetter = {
      get x() {
        return hashKey({ y: [1, 2, 3] })
      },
      z: 'after',
    }
    expect(hashKey(withGetter)).toBe(hashKey({ x: inner, z: 'after' }))
  })

  it('hashes large input and stays consistent afterwards', () => {
    const big = { s: 'é'.repeat(100_000), b: Buffer.alloc(100_000, 7) }
    expect(hashKey(big)).toBe(hashKey({ b: Buffer.alloc(100_000, 7), s: 'é'.repeat(100_000) }))
    expect(hashKey({ a: 1 })).toBe(hashKey({ a: 1 }))
  })
})

describe('canonicalEncode', () => {
  it('pins the byte format', () => {
    const bytes = canonicalEncode({ b: [true, null], a: 'é' })
    expect(bytes.toString('hex')).toBe('010b000000020600000001610600000002c3a90600000001620a000000020301')
  })

  it('returns a copy the caller owns', () => {
    const first = canonicalEncode('first')
    canonicalEncode('second')
    expect(first).toEqual(canonicalEncode('first'))
  })
})

describe('hashKey golden values (a change here changes every stored key)', () => {
  it.each<[string, unknown, string]>([
    ['undefined', undefined, '47dc540c94ceb704a23875c11273e16bb0b8a87aed84de911f2133568115f254'],
    ['null', null, '9dcf97a184f32623d11a73124ceb99a5709b083721e878a16d78f596718ba7b2'],
    ['true', true, 'c79b932e1e1da3c0e098e5ad2c422937eb904a76cf61d83975a74a68fbb04b99'],
    ['0', 0, 'e915d30112f4fb9e25984b4687c3732a84b955d5e8e1e5b012831ffd12ffe2e6'],
    ['1.5', 1.5, 'ab78304032bef81ef58291369b468c7cfa688846aff7c8d240309e4a8c6c09e7'],
    ['-123n', -123n, '5439c4e1b8c8c1b2d8faebe499df94e57228d959c4cd09c1cb02bb4ca5f97b71'],
    ['empty string', '', '9c9b1b2569106e29fb5a998f448836dd301c996b400972801eed9f669366a1a9'],
    ['unicode string', 'héllo 😀', '45617255a5060e2b1857beac8908bb7fccdf56041b858681fb71b7bd785083a1'],
    ['lone surrogate', '\ud800', '45e52fd23331271c527bc07d2aa996c4339170e8e43f71529ec52e65966177f8'],
    ['bytes', Buffer.from([0, 1, 255]), '2e97dbf48265e5c5becd273e9550b93941cad0ed44e9732ad08101c1f3855404'],
    [
      'Date',
      new Date('2024-01-02T03:04:05.678Z'),
      'cebb6c6f9406cc53bfef5f624371ad38d7129364ab987ddf41f1151515f93fca',
    ],
    ['[]', [], '27ee9f9b7453d7360da3f995291e84e7fa0099d1758cc10e306d0b12250a6dc6'],
    ['{}', {}, 'd587d143e653a66071ec8517170c567b3e3826900c60eb5a185540023d3c8358'],
    [
      'request body',
      { model: 'm1', input: [1, 'two', { three: 3 }], opts: { t: 0.5, stream: false, stop: null } },
      '3fa6b458a2dff188b7544071b8f404526352747382c5b08a178a89500b35f784',
    ],
    [
      'Map',
      new Map<unknown, unknown>([
        ['b', 1],
        [2, 'a'],
      ]),
      'edeec6b67359506ea1d5cb52d941d62db086d33f08ef12b790be1a067ed64344',
    ],
    [
      'Set',
      new Set<unknown>(['x', 1, [2]]),
      '8513dce4c88780897c0ce4505fd8a973292c57ef1bbda85143aa9d0d72d7587d',
    ],
  ])('%s', (_, input, hex) => {
    expect(hashKey(input)).toBe(hex)
  })
})
