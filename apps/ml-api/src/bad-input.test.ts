import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildApp } from './app.js'
import { type LocalModels, loadModels } from './models/load-models.js'
import { MAX_EMBEDDING_CHARS, MAX_EMBEDDING_INPUTS } from './schemas/embeddings-schema.js'
import { MAX_FLIGHT_ROWS } from './schemas/flight-delay-schema.js'

const BODY_LIMIT = 64 * 1024
let models: LocalModels
let app: FastifyInstance

beforeAll(async () => {
  models = await loadModels({ flightsRows: 2000 })
  app = await buildApp({ models, config: { bodyLimit: BODY_LIMIT } })
})
afterAll(() => app?.close())

interface Case {
  name: string
  body: string | Buffer
  contentType?: string | null
  status: number
  code: string
  /** What the message must say (the real problem, not a side effect of the schema). */
  message?: string
  /** The field the error names. */
  param?: string | null
}

const row = { distance: 500, hour: 8 }
const flights = (inputs: unknown) => JSON.stringify({ inputs })
const embed = (body: unknown) => JSON.stringify(body)
const deep = (n: number) => `${'['.repeat(n)}1${']'.repeat(n)}`

const FLIGHT_CASES: Case[] = [
  { name: 'malformed JSON', body: '{"inputs":[', status: 400, code: 'malformed_json' },
  { name: 'empty body', body: '', status: 400, code: 'malformed_json' },
  {
    name: 'text/plain',
    body: flights([row]),
    contentType: 'text/plain',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a form',
    body: 'distance=1&hour=2',
    contentType: 'application/x-www-form-urlencoded',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'no content type',
    body: flights([row]),
    contentType: null,
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a latin1 charset',
    body: flights([row]),
    contentType: 'application/json; charset=latin1',
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a body over the limit',
    body: flights(Array.from({ length: 4000 }, () => row)),
    status: 413,
    code: 'payload_too_large',
  },
  { name: 'NaN', body: '{"inputs":[{"distance":NaN,"hour":1}]}', status: 400, code: 'invalid_input' },
  {
    name: 'Infinity',
    body: '{"inputs":[{"distance":Infinity,"hour":1}]}',
    status: 400,
    code: 'invalid_input',
  },
  {
    name: '-Infinity',
    body: '{"inputs":[{"distance":1,"hour":-Infinity}]}',
    status: 400,
    code: 'invalid_input',
  },
  { name: '1e400', body: '{"inputs":[{"distance":1e400,"hour":1}]}', status: 400, code: 'invalid_input' },
  {
    name: 'a numeric string',
    body: flights([{ distance: '500', hour: 8 }]),
    status: 400,
    code: 'invalid_input',
  },
  { name: 'null', body: flights([{ distance: 500, hour: null }]), status: 400, code: 'invalid_input' },
  { name: 'a boolean', body: flights([{ distance: true, hour: 8 }]), status: 400, code: 'invalid_input' },
  {
    name: 'hour 24',
    body: flights([{ distance: 500, hour: 24 }]),
    status: 400,
    code: 'invalid_input',
    message: '$.inputs[0].hour: must be < 24',
    param: 'inputs[0].hour',
  },
  {
    name: 'a negative hour',
    body: flights([{ distance: 500, hour: -1 }]),
    status: 400,
    code: 'invalid_input',
  },
  { name: 'distance 0', body: flights([{ distance: 0, hour: 1 }]), status: 400, code: 'invalid_input' },
  { name: 'distance 1e6', body: flights([{ distance: 1e6, hour: 1 }]), status: 400, code: 'invalid_input' },
  { name: 'a missing field', body: flights([{ distance: 500 }]), status: 400, code: 'invalid_input' },
  { name: 'an unknown field', body: flights([{ ...row, seats: 3 }]), status: 400, code: 'invalid_input' },
  { name: 'an empty batch', body: flights([]), status: 400, code: 'invalid_input' },
  {
    name: 'an oversized batch',
    body: flights(Array.from({ length: MAX_FLIGHT_ROWS + 1 }, () => row)),
    status: 400,
    code: 'invalid_input',
  },
  { name: 'inputs not an array', body: flights(row), status: 400, code: 'invalid_input' },
  { name: 'a row that is an array', body: flights([[500, 8]]), status: 400, code: 'invalid_input' },
  { name: 'a JSON array body', body: '[1,2]', status: 400, code: 'invalid_input' },
  { name: 'a JSON string body', body: '"hello"', status: 400, code: 'invalid_input' },
  {
    name: 'a __proto__ key',
    body: '{"inputs":[{"distance":1,"hour":1,"__proto__":{"admin":true}}]}',
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a top-level __proto__',
    body: '{"__proto__":{"x":1},"inputs":[]}',
    status: 400,
    code: 'invalid_input',
  },
  { name: 'deep nesting', body: `{"inputs":${deep(40)}}`, status: 400, code: 'invalid_input' },
  { name: 'very deep nesting', body: `{"inputs":${deep(20_000)}}`, status: 400, code: 'invalid_input' },
  {
    name: 'invalid UTF-8',
    body: Buffer.concat([
      Buffer.from('{"inputs":[{"distance":1,"hour":1,"x":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}]}'),
    ]),
    status: 400,
    code: 'invalid_input',
  },
]

const EMBEDDING_CASES: Case[] = [
  { name: 'an empty string', body: embed({ input: '' }), status: 400, code: 'invalid_input' },
  {
    name: 'an empty list',
    body: embed({ input: [] }),
    status: 400,
    code: 'invalid_input',
    message: '$.input: must not be empty (at least 1 item)',
    param: 'input',
  },
  {
    name: 'too many inputs',
    body: embed({ input: Array.from({ length: MAX_EMBEDDING_INPUTS + 1 }, (_, i) => `t${i}`) }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'too long a text',
    body: embed({ input: 'a'.repeat(MAX_EMBEDDING_CHARS + 1) }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'a number',
    body: embed({ input: 42 }),
    status: 400,
    code: 'invalid_input',
    message: '$.input: must be a string or an array',
  },
  {
    name: 'token arrays',
    body: embed({ input: [[1, 2, 3]] }),
    status: 400,
    code: 'invalid_input',
    message: '$.input[0]: must be a string',
    param: 'input[0]',
  },
  {
    name: 'a missing input',
    body: embed({ model: 'use-lite' }),
    status: 400,
    code: 'invalid_input',
    message: '$.input: is required',
    param: 'input',
  },
  { name: 'a lone surrogate', body: '{"input":"abc\\ud800def"}', status: 400, code: 'invalid_input' },
  {
    name: 'a bad encoding_format',
    body: embed({ input: 'x', encoding_format: 'hex' }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'other dimensions',
    body: embed({ input: 'x', dimensions: 256 }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'an unknown model',
    body: embed({ input: 'x', model: 'gpt-9' }),
    status: 404,
    code: 'model_not_found',
  },
  {
    name: 'an unknown field',
    body: embed({ input: 'x', temperature: 0 }),
    status: 400,
    code: 'invalid_input',
  },
  {
    name: 'invalid UTF-8',
    body: Buffer.concat([Buffer.from('{"input":"'), Buffer.from([0xff]), Buffer.from('"}')]),
    status: 400,
    code: 'invalid_input',
  },
  { name: 'malformed JSON', body: '{"input":"x",}', status: 400, code: 'malformed_json' },
]

function send(url: string, c: Case) {
  const headers: Record<string, string> = {}
  if (c.contentType !== null) headers['content-type'] = c.contentType ?? 'application/json'
  return app.inject({ method: 'POST', url, headers, payload: c.body })
}

describe.each([
  ['/v1/predict/flight-delay', FLIGHT_CASES, flights([row])],
  ['/v1/embeddings', EMBEDDING_CASES, embed({ input: 'a valid sentence' })],
])('bad input to %s', (url, cases, valid) => {
  it.each(cases)('$name: $status $code, model not called, nothing cached, next request fine', async (c) => {
    const predicts = [vi.spyOn(models.flightDelay, 'predict'), vi.spyOn(models.embeddings, 'predict')]
    const before = app.mlApi.cache.stats()
    const res = await send(url, c)
    expect(res.statusCode, res.body).toBe(c.status)
    expect(res.headers['content-type']).toContain('application/json')
    const body = res.json()
    expect(Object.keys(body)).toEqual(['error'])
    // OpenAI's error shape: what its clients read.
    expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'param', 'type'])
    expect(body.error.code).toBe(c.code)
    expect(body.error.type).toBe('invalid_request_error')
    expect(typeof body.error.message).toBe('string')
    if (c.message !== undefined) expect(body.error.message).toBe(c.message)
    if (c.param !== undefined) expect(body.error.param).toBe(c.param)
    expect(res.headers['x-cache']).toBeUndefined()
    for (const p of predicts) expect(p).not.toHaveBeenCalled()
    const after = app.mlApi.cache.stats()
    expect(after.sets).toBe(before.sets)
    expect(after.lookups).toBe(before.lookups)
    vi.restoreAllMocks()

    const next = await app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/json' },
      payload: valid,
    })
    expect(next.statusCode).toBe(200)
  })
})
