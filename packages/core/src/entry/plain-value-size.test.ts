import { describe, expect, it } from 'vitest'
import { encodeValue } from './encode-value.js'
import { JSON_SAFE, MAX_DEPTH, scanJson } from './json-scan.js'
import { NOT_PLAIN, plainValueSize } from './plain-value-size.js'

const record = {
  id: 7,
  name: 'user 7',
  roles: ['reader', 'writer'],
  profile: { bio: 'x'.repeat(700), city: 'Lisbon', score: 0.5007, active: true, manager: null },
}

function nested(depth: number): unknown {
  let v: unknown = {}
  for (let i = 0; i < depth; i++) v = { v }
  return v
}

describe('plainValueSize', () => {
  it('is within a few bytes of the encoded length of ASCII text', () => {
    for (const value of [record, [record, record], { a: [] }, ['a', 'bc'], { 'long key': 'v' }]) {
      const encoded = encodeValue(value).byteLength
      const estimate = plainValueSize(value)
      expect(estimate).toBeGreaterThanOrEqual(encoded - 8)
      expect(estimate).toBeLessThanOrEqual(encoded * 1.25 + 8)
    }
  })

  it('counts each number as 8 bytes (a double), whatever its text', () => {
    expect(plainValueSize([1, 0.30000000000000004])).toBe(2 + 2 * (8 + 1))
  })

  it('measures Buffer and Uint8Array leaves by their bytes', () => {
    const body = Buffer.alloc(1000, 1)
    const response = { status: 200, headers: [['etag', '"x"']], body }
    const estimate = plainValueSize(response)
    const encoded = encodeValue(response).byteLength
    expect(estimate).toBeGreaterThanOrEqual(encoded - 8)
    expect(estimate).toBeLessThanOrEqual(encoded * 1.25 + 8)
    expect(plainValueSize([new Uint8Array(10)])).toBe(2 + 18 + 1)
  })

  it('gives up on exactly what is not a plain value, so the encoder validates it', () => {
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    const throwing = Object.defineProperty({}, 'x', {
      enumerable: true,
      get() {
        throw new Error('boom')
      },
    })
    const holes: unknown[] = [1]
    holes[2] = 3
    const notJson = [
      'a string',
      42,
      null,
      { u: undefined },
      { n: -0 },
      { n: Number.NaN },
      { n: Number.POSITIVE_INFINITY },
      { b: 1n },
      { f: () => 1 },
      { s: Symbol('s') },
      new Map(),
      new Set(),
      new Date(0),
      { d: new Date(0) },
      new Uint16Array(2),
      { b: Object.create(Buffer.prototype) },
      new (class Bytes extends Uint8Array {})(2),
      Object.create(null),
      new (class Point {})(),
      holes,
      [undefined],
      cyclic,
      throwing,
      nested(MAX_DEPTH + 1),
    ]
    for (const value of notJson) expect(plainValueSize(value)).toBe(NOT_PLAIN)
  })

  it('agrees with the JSON scan on the containers it measures', () => {
    for (const value of [
      record,
      [],
      {},
      [[[]]],
      { a: { b: { c: [true, false, null, '', 0] } } },
      nested(100),
    ]) {
      expect(scanJson(value, 0, new Set())).toBe(JSON_SAFE)
      expect(plainValueSize(value)).toBeGreaterThan(0)
    }
  })
})
