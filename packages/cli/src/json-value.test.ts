import { describe, expect, it } from 'vitest'
import { toJsonValue } from './json-value.js'

/** What a script parsing the output sees. */
const viaJson = (value: unknown) => JSON.parse(JSON.stringify(toJsonValue(value)))

describe('toJsonValue', () => {
  it('keeps JSON values as they are: objects stay objects', () => {
    const value = { a: [1, 'two', null, true, { b: 0.5 }], c: {}, '': -3 }
    expect(viaJson(value)).toEqual(value)
    expect(viaJson(Object.assign(Object.create(null), { x: 1 }))).toEqual({ x: 1 })
    expect(viaJson('text')).toBe('text')
    expect(viaJson(null)).toBe(null)
  })

  it('writes Buffers and typed arrays as the base64 of their bytes, elements little-endian', () => {
    expect(viaJson(Buffer.from('{"a":1}'))).toEqual({ $type: 'Buffer', base64: 'eyJhIjoxfQ==' })
    const embedding = new Float32Array([0.5, -1])
    const json = viaJson({ embedding })
    expect(json).toEqual({ embedding: { $type: 'Float32Array', base64: 'AAAAPwAAgL8=' } })
    const bytes = Buffer.from(json.embedding.base64, 'base64')
    expect(bytes.readFloatLE(0)).toBe(0.5)
    expect(bytes.readFloatLE(4)).toBe(-1)
    // A view covers only its own bytes, not the whole buffer behind it.
    const view = new Uint8Array([1, 2, 3, 4]).subarray(1, 3)
    expect(viaJson(view)).toEqual({ $type: 'Uint8Array', base64: Buffer.from([2, 3]).toString('base64') })
    expect(viaJson(new Uint8Array([7, 8]).buffer)).toEqual({ $type: 'ArrayBuffer', base64: 'Bwg=' })
    expect(viaJson(new DataView(new Uint8Array([9, 8, 7]).buffer, 1))).toEqual({
      $type: 'DataView',
      base64: 'CAc=',
    })
  })

  it('names every other type the codec stores, so nothing reads as something else', () => {
    expect(viaJson(new Date(Date.UTC(1815, 11, 10)))).toEqual({
      $type: 'Date',
      value: '1815-12-10T00:00:00.000Z',
    })
    expect(viaJson(new Date(Number.NaN))).toEqual({ $type: 'Date', value: null })
    expect(viaJson(-(2n ** 70n))).toEqual({ $type: 'BigInt', value: '-1180591620717411303424' })
    expect(viaJson([Number.NaN, Number.NEGATIVE_INFINITY, -0, 0])).toEqual([
      { $type: 'number', value: 'NaN' },
      { $type: 'number', value: '-Infinity' },
      { $type: 'number', value: '-0' },
      0,
    ])
    // biome-ignore lint/suspicious/noSparseArray: a hole is what is tested
    expect(viaJson({ u: undefined, holes: [1, , 3] })).toEqual({
      u: { $type: 'undefined' },
      holes: [1, { $type: 'undefined' }, 3],
    })
    expect(viaJson(new Map<unknown, unknown>([[{ k: 1 }, new Set([1n])]]))).toEqual({
      $type: 'Map',
      entries: [[{ k: 1 }, { $type: 'Set', values: [{ $type: 'BigInt', value: '1' }] }]],
    })
    expect(viaJson(/a+b/gu)).toEqual({ $type: 'RegExp', source: 'a+b', flags: 'gu' })
    expect(viaJson({ $type: 'Date', value: 'x' })).toEqual({
      $type: 'Object',
      value: { $type: 'Date', value: 'x' },
    })
  })

  it('keeps an own "__proto__" key as data', () => {
    const value = JSON.parse('{"__proto__":{"polluted":true}}')
    const json = toJsonValue(value) as Record<string, unknown>
    expect(Object.hasOwn(json, '__proto__')).toBe(true)
    expect(JSON.stringify(json)).toBe('{"__proto__":{"polluted":true}}')
    expect(({} as { polluted?: boolean }).polluted).toBeUndefined()
  })
})
