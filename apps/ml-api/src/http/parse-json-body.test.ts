import { describe, expect, it } from 'vitest'
import { isApiError } from './api-error.js'
import { inspectJson, MAX_JSON_DEPTH, parseJsonBody } from './parse-json-body.js'

function failure(body: string | Buffer): { status: number; code: string; message: string } {
  try {
    parseJsonBody(typeof body === 'string' ? Buffer.from(body) : body)
  } catch (error) {
    if (!isApiError(error)) throw error
    return { status: error.statusCode, code: error.code, message: error.message }
  }
  throw new Error('expected a failure')
}

describe('parseJsonBody', () => {
  it('parses JSON, whatever the whitespace, and strips a UTF-8 BOM', () => {
    expect(parseJsonBody(Buffer.from(' { "a" :\n[1, 2.5, "é"] } '))).toEqual({ a: [1, 2.5, 'é'] })
    expect(parseJsonBody(Buffer.from('\uFEFF{"a":1}'))).toEqual({ a: 1 })
  })

  it.each([
    ['{bad', 400, 'malformed_json'],
    ['', 400, 'malformed_json'],
    ['   ', 400, 'malformed_json'],
    ['{"a":1}}', 400, 'malformed_json'],
    ['{"a":NaN}', 400, 'invalid_input'],
    ['{"a":[1,Infinity]}', 400, 'invalid_input'],
    ['{"a":-Infinity}', 400, 'invalid_input'],
    ['{"a":1e400}', 400, 'invalid_input'],
    ['{"a":-1e999}', 400, 'invalid_input'],
    ['{"__proto__":{"polluted":true}}', 400, 'invalid_input'],
    ['{"a":[{"b":{"__proto__":1}}]}', 400, 'invalid_input'],
    ['{"constructor":{"prototype":{"x":1}}}', 400, 'invalid_input'],
    [`${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`, 400, 'invalid_input'],
    [`${'['.repeat(100_000)}${']'.repeat(100_000)}`, 400, 'invalid_input'],
  ])('refuses %j with %i %s', (body, status, code) => {
    expect(failure(body)).toMatchObject({ status, code })
  })

  it('keeps NaN inside strings a string, and a NaN-looking garbage a 400', () => {
    expect(parseJsonBody(Buffer.from('{"a":"NaN Infinity"}'))).toEqual({ a: 'NaN Infinity' })
    expect(failure('{"a":NaNx}')).toMatchObject({ status: 400 })
    expect(failure('{"a":NaN,}')).toMatchObject({ status: 400 })
  })

  it('refuses invalid UTF-8 with a 400', () => {
    expect(failure(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]))).toMatchObject({
      status: 400,
      message: expect.stringContaining('UTF-8'),
    })
    // An overlong encoding of '/' is invalid too.
    expect(failure(Buffer.from([0x22, 0xc0, 0xaf, 0x22]))).toMatchObject({ status: 400 })
  })

  it('names the path of a bad value', () => {
    expect(failure('{"inputs":[{"d":1},{"d":1e400}]}').message).toContain('$.inputs[1].d')
  })
})

describe('inspectJson', () => {
  it('accepts nesting up to the limit', () => {
    let v: unknown = 1
    for (let i = 0; i < MAX_JSON_DEPTH; i++) v = [v]
    expect(() => inspectJson(v)).not.toThrow()
    expect(() => inspectJson([v])).toThrow(/deeper/)
  })
})
