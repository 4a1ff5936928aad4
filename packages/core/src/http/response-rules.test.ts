import { afterEach, describe, expect, it, vi } from 'vitest'
import { createCache } from '../create-cache.js'
import { createHttpCache } from './http-cache.js'
import type { RouteCacheOptions } from './route-options.js'
import { captured, FakeHandler, header, send, text } from './test-helpers.js'
import type { ResponseHeaders } from './types.js'

function setup(options: RouteCacheOptions = {}) {
  const cache = createCache({ namespace: 'test' })
  const http = createHttpCache({ cache })
  return { cache, http, route: http.route(options) }
}

/** Sends the same GET twice; true when the second was served from the cache. */
async function storedAfter(
  status: number,
  headers: ResponseHeaders,
  options: RouteCacheOptions = {},
  body = 'x',
) {
  const { http, route } = setup(options)
  const h = new FakeHandler(() => captured(status, body, headers))
  await send(http, route, h)
  await send(http, route, h)
  return h.calls === 1
}

afterEach(() => {
  vi.useRealTimers()
})

describe('storability', () => {
  it('stores 200 only by default; other statuses by option; 5xx never (refused at setup)', async () => {
    expect(await storedAfter(200, {})).toBe(true)
    expect(await storedAfter(404, {})).toBe(false)
    expect(await storedAfter(404, {}, { statuses: [200, 404] })).toBe(true)
    expect(await storedAfter(500, {})).toBe(false)
    expect(() => setup({ statuses: [200, 503] })).toThrow(
      expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }),
    )
  })

  it.each([
    ['Set-Cookie', { 'set-cookie': ['sid=1; HttpOnly'] }],
    ['Cache-Control: private', { 'cache-control': 'private, max-age=60' }],
    ['Cache-Control: private="x"', { 'cache-control': 'max-age=60, private="set-cookie, x"' }],
    ['Cache-Control: no-store', { 'cache-control': 'no-store' }],
    ['Cache-Control: no-cache', { 'cache-control': 'No-Cache' }],
    ['Vary: *', { vary: 'Accept, *' }],
    ['an incomplete body', { 'content-length': '99' }],
  ])('never stores a response with %s', async (_name, headers) => {
    expect(await storedAfter(200, headers as ResponseHeaders)).toBe(false)
  })

  it('does not store a body over maxEntryBytes', async () => {
    expect(await storedAfter(200, {}, { maxEntryBytes: 4 }, '12345')).toBe(false)
    expect(await storedAfter(200, {}, { maxEntryBytes: 5 }, '12345')).toBe(true)
  })

  it('does not store a response the adapter could not capture (streamed or too large)', async () => {
    const { http, route } = setup()
    const h = new FakeHandler(() => ({ kind: 'passthrough', status: 200 }))
    expect((await send(http, route, h)).kind).toBe('done')
    await send(http, route, h)
    expect(h.calls).toBe(2)
  })

  it('asks the adapter to capture at most maxEntryBytes and to hide conditional headers from the handler', async () => {
    const { http, route } = setup({ maxEntryBytes: '2kb' })
    const h = new FakeHandler()
    await send(http, route, h)
    expect(h.modes[0]).toEqual({
      capture: true,
      xCache: 'MISS',
      cacheStatus: 'cache; fwd=uri-miss',
      maxBytes: 2048,
      hideConditionalHeaders: true,
    })
  })
})

describe('Vary', () => {
  it('stores one variant per normalised value of the varying request headers', async () => {
    const { http, route } = setup()
    const h = new FakeHandler((n, _m) => captured(200, `variant ${n}`, { vary: 'Accept-Language' }))
    const lang = (value: string) => ({ headers: { 'accept-language': value } })
    expect(text(await send(http, route, h, lang('en-US')))).toBe('variant 1')
    expect(text(await send(http, route, h, lang('fr')))).toBe('variant 2')
    const en = await send(http, route, h, lang('EN-us'))
    const fr = await send(http, route, h, lang('fr'))
    expect([header(en, 'x-cache'), text(en)]).toEqual(['HIT', 'variant 1'])
    expect([header(fr, 'x-cache'), text(fr)]).toEqual(['HIT', 'variant 2'])
    const none = await send(http, route, h)
    expect([header(none, 'x-cache'), text(none)]).toEqual(['MISS', 'variant 3'])
    expect(h.calls).toBe(3)
  })

  it('stops using an index whose Vary no longer matches the response', async () => {
    const { http, route } = setup()
    let vary = 'Accept-Language'
    const h = new FakeHandler((n) => captured(200, `v${n}`, { vary }))
    await send(http, route, h, { headers: { 'accept-language': 'en' } })
    vary = 'Accept-Encoding'
    await send(http, route, h, { headers: { 'accept-language': 'fr' } })
    const again = await send(http, route, h, {
      headers: { 'accept-language': 'fr', 'accept-encoding': 'gzip' },
    })
    expect(text(again)).toBe('v3')
    expect(
      text(await send(http, route, h, { headers: { 'accept-language': 'de', 'accept-encoding': 'gzip' } })),
    ).toBe('v3')
  })
})

describe('replay', () => {
  it('replays status, content type and body byte for byte, never hop-by-hop headers or Set-Cookie', async () => {
    const { http, route } = setup({ statuses: [203] })
    const body = Buffer.from([0, 1, 2, 255, 254, 10, 13])
    const h = new FakeHandler(() => ({
      kind: 'captured',
      status: 203,
      body,
      headers: {
        'Content-Type': 'application/octet-stream',
        connection: 'keep-alive, x-hop',
        'keep-alive': 'timeout=5',
        'x-hop': '1',
        'transfer-encoding': 'chunked',
        upgrade: 'h2c',
        'proxy-authenticate': 'Basic',
        te: 'trailers',
        trailer: 'x-checksum',
        'x-custom': ['a', 'b'],
      },
    }))
    await send(http, route, h)
    const hit = await send(http, route, h)
    if (hit.kind !== 'send') throw new Error('expected send')
    expect(hit.status).toBe(203)
    expect(Buffer.compare(Buffer.from(hit.body), body)).toBe(0)
    const names = hit.headers.map(([n]) => n).sort()
    expect(names).toEqual([
      'age',
      'cache-status',
      'content-length',
      'content-type',
      'etag',
      'x-cache',
      'x-custom',
    ])
    expect(header(hit, 'content-type')).toBe('application/octet-stream')
    expect(header(hit, 'x-custom')).toBe('a, b')
    expect(header(hit, 'content-length')).toBe('7')
  })

  it('stores a copy of the body in memory of its own: no reused buffer, no pooled slab kept alive', async () => {
    const { http, route } = setup()
    const body = Buffer.from('a small body, far below the 4 KB pool threshold')
    const h = new FakeHandler(() => ({ kind: 'captured', status: 200, body, headers: {} }))
    await send(http, route, h)
    body.fill(0) // the app reuses its buffer
    const hit = await send(http, route, h)
    if (hit.kind !== 'send') throw new Error('expected send')
    expect(Buffer.from(hit.body).toString()).toBe('a small body, far below the 4 KB pool threshold')
    // A body sharing Node's 8 KB Buffer pool would keep the whole slab alive while it is cached.
    expect(hit.body.buffer.byteLength).toBe(hit.body.byteLength)
  })

  it('keeps an owned body as it is: the adapter encoded it for the cache alone', async () => {
    const { http, route } = setup()
    const body = Buffer.allocUnsafeSlow(5)
    body.write('owned')
    const h = new FakeHandler(() => ({ kind: 'captured', status: 200, body, headers: {}, owned: true }))
    await send(http, route, h)
    const hit = await send(http, route, h)
    if (hit.kind !== 'send') throw new Error('expected send')
    expect(h.calls).toBe(1)
    expect(hit.body).toBe(body)
  })

  it('adds age in whole seconds since the response was stored', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(1_000_000)
    const { http, route } = setup({ ttl: '1h' })
    const h = new FakeHandler()
    const miss = await send(http, route, h)
    expect(header(miss, 'age')).toBeUndefined()
    vi.setSystemTime(1_000_000 + 12_600)
    expect(header(await send(http, route, h), 'age')).toBe('12')
  })

  it("serves the origin's etag, or a strong hash of the body computed at store time", async () => {
    const origin = setup()
    const withTag = new FakeHandler(() => captured(200, 'x', { etag: 'W/"origin"' }))
    expect(header(await send(origin.http, origin.route, withTag), 'etag')).toBe('W/"origin"')
    expect(header(await send(origin.http, origin.route, withTag), 'etag')).toBe('W/"origin"')

    const computed = setup()
    const h = new FakeHandler(() => captured(200, 'same body'))
    const miss = await send(computed.http, computed.route, h)
    const hit = await send(computed.http, computed.route, h)
    expect(header(miss, 'etag')).toMatch(/^"[A-Za-z0-9_-]{24}"$/)
    expect(header(hit, 'etag')).toBe(header(miss, 'etag'))
  })

  it('answers If-None-Match with 304 for the same cached resource only', async () => {
    const { http, route } = setup()
    const h = new FakeHandler(() => captured(200, 'identical body', { 'cache-control': 'max-age=60' }))
    const stored = await send(http, route, h, { path: '/a' })
    const etag = header(stored, 'etag')!
    const revalidated = await send(http, route, h, {
      path: '/a',
      headers: { 'if-none-match': `"nope", W/${etag}` },
    })
    expect(revalidated.kind).toBe('not-modified')
    expect(header(revalidated, 'etag')).toBe(etag)
    expect(header(revalidated, 'cache-control')).toBe('max-age=60')
    expect(header(revalidated, 'content-length')).toBeUndefined()
    // Same bytes, other URL, not cached yet: a full response, never a 304 borrowed from /a.
    const other = await send(http, route, h, { path: '/b', headers: { 'if-none-match': etag } })
    expect([other.kind, header(other, 'x-cache')]).toEqual(['send', 'MISS'])
  })
})
