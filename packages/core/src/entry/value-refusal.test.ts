import { describe, expect, it } from 'vitest'
import { ByteWriter } from '../bytes/byte-writer.js'
import { CacheError, errors } from '../errors.js'
import { thrown } from './codec-test-helpers.js'
import { writeValue } from './encode-value.js'
import { decodeValue, encodeEntry, encodeValue, MAX_DEPTH } from './index.js'
import { Tag } from './value-tags.js'

const refused = (value: unknown) => thrown(() => encodeValue(value), errors.ERR_CACHE_UNENCODABLE_VALUE)

class User {
  name = 'x'
}

describe('value codec: refusals', () => {
  it('names the path and the type of a function', () => {
    const error = refused({ user: { name: 'a', fn() {} } })
    expect(error).toBeInstanceOf(CacheError)
    expect(error.message).toContain('$.user.fn')
    expect(error.message).toContain('function')
  })

  it('refuses symbols, functions and unsupported built-ins wherever they are', () => {
    const cases: [unknown, string, string][] = [
      [() => 1, '$', 'function'],
      [Symbol('s'), '$', 'symbol'],
      [{ list: [1, 2, Symbol.iterator] }, '$.list[2]', 'symbol'],
      [{ 'odd-key': new WeakMap() }, '$["odd-key"]', 'WeakMap'],
      [{ p: Promise.resolve(1) }, '$.p', 'Promise'],
      [{ s: new WeakSet() }, '$.s', 'WeakSet'],
      [{ e: new Error('x') }, '$.e', 'Error'],
      [{ boxed: new String('x') }, '$.boxed', 'String'],
      [{ sab: new SharedArrayBuffer(4) }, '$.sab', 'SharedArrayBuffer'],
      [new Map([['k', { f: Math.max }]]), '$.get("k").f', 'function'],
      [new Map([[Symbol('key'), 1]]), '$.keys()[0]', 'symbol'],
      [new Map([[{}, () => 1]]), '$.values()[0]', 'function'],
      [new Set([1, () => 1]), '$.values()[1]', 'function'],
      [{ a: [{ b: new Map([[1, { c: () => 1 }]]) }] }, '$.a[0].b.get(1).c', 'function'],
    ]
    for (const [value, path, type] of cases) {
      const error = refused(value)
      expect(error.message).toContain(`at ${path}`)
      expect(error.message).toContain(type)
    }
  })

  it('refuses class instances, subclasses of supported built-ins and forged built-ins', () => {
    expect(refused({ u: new User() }).message).toMatch(/class User.*at \$\.u/)
    class MyMap extends Map {}
    class MyArray extends Array {}
    expect(refused(new MyMap()).message).toContain('MyMap')
    expect(refused({ a: MyArray.from([1]) }).message).toContain('MyArray')
    expect(refused(Object.create(Date.prototype)).message).toContain('Date')
    expect(refused(Object.create(Uint8Array.prototype)).message).toContain('Uint8Array')
    expect(refused(Object.create({ inherited: 1 })).message).toContain('non-standard prototype')
  })

  it('refuses cycles instead of looping, through objects, arrays, Maps and Sets', () => {
    const obj: Record<string, unknown> = { a: 1 }
    obj.self = obj
    const arr: unknown[] = [1]
    arr.push({ back: arr })
    const map = new Map<string, unknown>()
    map.set('m', { map })
    const set = new Set<unknown>()
    set.add([set])
    const cases: [unknown, string][] = [
      [obj, '$.self'],
      [arr, '$[1].back'],
      [map, '$.get("m").map'],
      [set, '$.values()[0][0]'],
      [{ deep: { deeper: obj } }, '$.deep.deeper.self'],
    ]
    for (const [value, path] of cases) {
      const error = refused(value)
      expect(error.message).toContain('circular')
      expect(error.message).toContain(`at ${path}`)
    }
  })

  it('wraps a throwing getter, keeping the path and the cause', () => {
    const cause = new Error('boom')
    const error = refused({
      a: {
        get b() {
          throw cause
        },
      },
    })
    expect(error.message).toContain('$.a.b')
    expect(error.message).toContain('boom')
    expect(error.cause).toBe(cause)
  })

  it('is all-or-nothing: encodeEntry returns no bytes for a partly unencodable value', () => {
    let result: unknown = 'untouched'
    thrown(() => {
      result = encodeEntry({
        value: { ok: 'x'.repeat(10_000), list: [1, 2, 3], last: Symbol('no') },
        createdAt: 0,
        expiresAt: 1,
        staleUntil: 1,
        tags: [],
      })
    }, errors.ERR_CACHE_UNENCODABLE_VALUE)
    expect(result).toBe('untouched')
  })

  it('uses the given root name in paths', () => {
    const w = new ByteWriter(16)
    try {
      writeValue(w, { f: () => 1 }, 'value')
      expect.fail('should throw')
    } catch (error) {
      expect((error as Error).message).toContain('at value.f')
    }
  })
})

describe('value codec: nesting depth', () => {
  const nestArrays = (depth: number, leaf: unknown = 1) => {
    let v: unknown = leaf
    for (let i = 0; i < depth; i++) v = [v]
    return v
  }
  const nestMaps = (depth: number) => {
    let v: unknown = -0
    for (let i = 0; i < depth; i++) v = new Map([[i, v]])
    return v
  }

  it(`accepts ${MAX_DEPTH} nested containers, on the JSON path and on the tagged path`, () => {
    expect(decodeValue(encodeValue(nestArrays(MAX_DEPTH)))).toEqual(nestArrays(MAX_DEPTH))
    expect(decodeValue(encodeValue(nestMaps(MAX_DEPTH)))).toEqual(nestMaps(MAX_DEPTH))
    expect(decodeValue(encodeValue(nestArrays(MAX_DEPTH, undefined)))).toEqual(
      nestArrays(MAX_DEPTH, undefined),
    )
  })

  it('refuses deeper values with ERR_CACHE_UNENCODABLE_VALUE, never a RangeError', () => {
    for (const value of [
      nestArrays(MAX_DEPTH + 1),
      nestMaps(MAX_DEPTH + 1),
      nestArrays(MAX_DEPTH + 1, undefined),
      nestArrays(100_000),
      nestMaps(100_000),
    ]) {
      expect(refused(value).message).toContain('nested more than')
    }
  })

  it('refuses bytes claiming deeper nesting with ERR_CACHE_DECODE, never a RangeError', () => {
    for (const depth of [MAX_DEPTH + 1, 1_000_000]) {
      const bytes = Buffer.alloc(depth * 2 + 1)
      for (let i = 0; i < depth; i++) {
        bytes[i * 2] = Tag.ARRAY
        bytes[i * 2 + 1] = 1
      }
      bytes[depth * 2] = Tag.NULL
      expect(thrown(() => decodeValue(bytes), errors.ERR_CACHE_DECODE).message).toContain('nesting deeper')
    }
  })
})
