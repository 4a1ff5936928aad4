import zlib from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type LocalModels, loadModels } from '../models/load-models.js'
import { listenApp } from '../testing/listen-app.js'

const BODY_LIMIT = 64 * 1024
let models: LocalModels
let app: FastifyInstance
let url: string

beforeAll(async () => {
  models = await loadModels({ flightsRows: 2000 })
  ;({ app, url } = await listenApp({ models, config: { bodyLimit: BODY_LIMIT } }))
})
afterAll(() => app?.close())

const JSON_BODY = Buffer.from(
  JSON.stringify({
    inputs: [
      { distance: 700, hour: 9 },
      { distance: 1200, hour: 17 },
    ],
  }),
)
/** The same JSON padded with trailing whitespace to `size` bytes. */
const padded = (size: number) => Buffer.concat([JSON_BODY, Buffer.alloc(size - JSON_BODY.length, ' ')])

// A fast quality: the default (11) spends half a second on the bomb.
const brotli = (b: Buffer) =>
  zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } })

async function post(body: Buffer, encoding?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (encoding !== undefined) headers['content-encoding'] = encoding
  const res = await fetch(`${url}/v1/predict/flight-delay`, { method: 'POST', headers, body })
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> }
}

const bad = (name: string, body: () => Buffer, encoding: string, status: number, code: string) => ({
  name,
  body,
  encoding,
  status,
  code,
})

describe('Content-Encoding of request bodies', () => {
  it.each([
    ['gzip', zlib.gzipSync],
    ['x-gzip', zlib.gzipSync],
    ['GZip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', brotli],
    ['identity', (b: Buffer) => b],
    // Listed in the order applied (RFC 9110 §8.4): brotli first, then gzip.
    ['br, gzip', (b: Buffer) => zlib.gzipSync(brotli(b))],
  ])('%s is decoded: the same predictions as the plain body', async (encoding, encode) => {
    const plain = await post(JSON_BODY)
    const encoded = await post(encode(JSON_BODY), encoding)
    expect([plain.status, encoded.status]).toEqual([200, 200])
    expect(encoded.body.predictions).toEqual(plain.body.predictions)
  })

  it('the body limit applies to the decoded body: exactly the limit passes', async () => {
    const res = await post(zlib.gzipSync(padded(BODY_LIMIT)), 'gzip')
    expect(res.status).toBe(200)
  })

  it.each([
    bad('plain JSON labelled gzip', () => JSON_BODY, 'gzip', 400, 'malformed_encoding'),
    bad(
      'a truncated gzip body',
      () => zlib.gzipSync(JSON_BODY).subarray(0, 20),
      'gzip',
      400,
      'malformed_encoding',
    ),
    bad('gzip labelled deflate', () => zlib.gzipSync(JSON_BODY), 'deflate', 400, 'malformed_encoding'),
    bad('garbage labelled br', () => Buffer.from('not brotli at all'), 'br', 400, 'malformed_encoding'),
    bad('compress', () => JSON_BODY, 'compress', 415, 'unsupported_media_type'),
    bad('zstd', () => JSON_BODY, 'zstd', 415, 'unsupported_media_type'),
    bad(
      'a known coding over an unknown one',
      () => zlib.gzipSync(JSON_BODY),
      'compress, gzip',
      415,
      'unsupported_media_type',
    ),
    bad(
      'one byte over the limit once decoded',
      () => zlib.gzipSync(padded(BODY_LIMIT + 1)),
      'gzip',
      413,
      'payload_too_large',
    ),
    bad(
      'a gzip bomb (16 MB from ~16 KB)',
      () => zlib.gzipSync(padded(16 * 1024 * 1024)),
      'gzip',
      413,
      'payload_too_large',
    ),
    bad(
      'a brotli bomb (16 MB from ~50 bytes)',
      () => brotli(padded(16 * 1024 * 1024)),
      'br',
      413,
      'payload_too_large',
    ),
  ])('$name: $status $code, model not called, nothing cached', async ({ body, encoding, status, code }) => {
    const predicts = [vi.spyOn(models.flightDelay, 'predict'), vi.spyOn(models.embeddings, 'predict')]
    const before = app.mlApi.cache.stats()
    const res = await post(body(), encoding)
    expect(res.status).toBe(status)
    expect(res.body).toEqual({
      error: { code, message: expect.any(String), type: 'invalid_request_error', param: null },
    })
    expect(res.headers.get('x-cache')).toBeNull()
    if (status === 415) expect(res.headers.get('accept-encoding')).toBe('gzip, deflate, br')
    for (const p of predicts) expect(p).not.toHaveBeenCalled()
    expect(app.mlApi.cache.stats()).toMatchObject({ sets: before.sets, lookups: before.lookups })
    vi.restoreAllMocks()
  })
})
