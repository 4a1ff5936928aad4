import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCache } from '../create-cache.js'
import { type CacheControl, parseCacheControl } from './cache-control.js'
import { freshnessLifetime, initialAge, parseHttpDate } from './freshness.js'
import { createHttpCache } from './http-cache.js'
import type { RouteCacheOptions } from './route-options.js'
import { captured, FakeHandler, gate, header, request, send, text } from './test-helpers.js'
import type { ResponseHeaders } from './types.js'

const T0 = Date.UTC(2026, 0, 1)
const httpDate = (ms: number) => new Date(ms).toUTCString()

function setup(options: RouteCacheOptions = {}) {
  const http = createHttpCache({
    cache: createCache({ namespace: 'origin' }),
    freshness: 'origin',
    ...options,
  })
  return { http, route: http.route() }
}

/** A handler answering every call with `headers` (and `body <n>`). */
function handler(headers: ResponseHeaders, status = 200) {
  return new FakeHandler((n) => captured(status, `body ${n}`, headers))
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] })
  vi.setSystemTime(T0)
})
afterEach(() => {
  vi.useRealTimers()
})

describe('HTTP dates and ages', () => {
  it('parses the three HTTP-date forms and refuses anything else', () => {
    const t = Date.UTC(1994, 10, 6, 8, 49, 37)
    expect(parseHttpDate('Sun, 06 Nov 1994 08:49:37 GMT')).toBe(t)
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT')).toBe(t)
    expect(parseHttpDate('Sun Nov  6 08:49:37 1994')).toBe(t)
    for (const bad of ['0', 'yesterday', 'Sun, 31 Feb 1994 08:49:37 GMT', 'Sun, 06 Nov 1994 08:49:37 PST'])
      expect(parseHttpDate(bad)).toBeUndefined()
  })

  it('lifetime: s-maxage over max-age over Expires - Date; an invalid Expires is stale', () => {
    const cc = (sMaxAge?: number, maxAge?: number) => ({ ...parse(), sMaxAge, maxAge })
    const headers = { date: httpDate(T0), expires: httpDate(T0 + 30_000) }
    expect(freshnessLifetime(headers, cc(5, 10), 200, 0, T0).ms).toBe(5000)
    expect(freshnessLifetime(headers, cc(undefined, 10), 200, 0, T0).ms).toBe(10_000)
    expect(freshnessLifetime(headers, cc(), 200, 0, T0).ms).toBe(30_000)
    expect(freshnessLifetime({ expires: '0' }, cc(), 200, 0, T0)).toEqual({ ms: 0, explicit: true })
  })

  it('heuristic lifetime only when enabled, for heuristically cacheable statuses', () => {
    const headers = { date: httpDate(T0), 'last-modified': httpDate(T0 - 100_000) }
    expect(freshnessLifetime(headers, parse(), 200, 0, T0).ms).toBe(0)
    expect(freshnessLifetime(headers, parse(), 200, 0.1, T0).ms).toBe(10_000)
    expect(freshnessLifetime(headers, parse(), 599, 0.1, T0).ms).toBe(0)
  })

  it('age: the larger of the apparent age and Age plus the round trip; an invalid Age is Infinity', () => {
    expect(initialAge({ date: httpDate(T0 - 5000) }, T0, T0)).toBe(5000)
    expect(initialAge({ age: '10' }, T0 - 1000, T0)).toBe(11_000)
    for (const bad of ['abc', '-1', '1.5', '1, 2', '7200;foo=1'])
      expect(initialAge({ age: bad }, T0, T0)).toBe(Number.POSITIVE_INFINITY)
  })
})

function parse(): CacheControl {
  return parseCacheControl(undefined)
}

describe("freshness: 'origin'", () => {
  it('is fresh for max-age, then revalidates with the stored validators; a 304 refreshes headers and keeps the body', async () => {
    const { http, route } = setup()
    const h = new FakeHandler((n, mode) =>
      n === 1
        ? captured(200, 'v1', { 'cache-control': 'max-age=10', etag: '"a"', 'x-version': '1' })
        : mode.validators?.some(([name, value]) => name === 'if-none-match' && value === '"a"')
          ? captured(304, '', { 'cache-control': 'max-age=20', etag: '"a"', 'x-version': '2' })
          : captured(200, 'unexpected'),
    )
    expect(header(await send(http, route, h), 'x-cache')).toBe('MISS')
    vi.setSystemTime(T0 + 9000)
    expect(header(await send(http, route, h), 'x-cache')).toBe('HIT')
    expect(h.calls).toBe(1)
    vi.setSystemTime(T0 + 11_000)
    const revalidated = await send(http, route, h)
    expect([h.calls, text(revalidated), header(revalidated, 'x-version')]).toEqual([2, 'v1', '2'])
    expect(header(revalidated, 'cache-status')).toBe('cache; fwd=stale; fwd-status=304; ttl=20')
    // The 304's max-age=20 now counts.
    vi.setSystemTime(T0 + 30_000)
    expect(header(await send(http, route, h), 'x-cache')).toBe('HIT')
  })

  it('stores no-cache responses and revalidates them before every use', async () => {
    const { http, route } = setup()
    const h = new FakeHandler((n) =>
      n === 1
        ? captured(200, 'v1', { 'cache-control': 'no-cache', etag: '"a"' })
        : captured(304, '', { etag: '"a"' }),
    )
    await send(http, route, h)
    const second = await send(http, route, h)
    expect([h.calls, text(second), h.modes[1]?.validators]).toEqual([2, 'v1', [['if-none-match', '"a"']]])
  })

  it('the route mode ignores the same headers (origin-side defaults unchanged)', async () => {
    const http = createHttpCache({ cache: createCache({ namespace: 'route' }) })
    const h = handler({ 'cache-control': 'max-age=0' })
    await send(http, http.route(), h)
    await send(http, http.route(), h)
    expect(h.calls).toBe(1)
  })

  it.each([
    ['private', { 'cache-control': 'private, max-age=60' }, 200, false],
    ['no-store', { 'cache-control': 'no-store, max-age=60' }, 200, false],
    ['a 404 with max-age', { 'cache-control': 'max-age=60' }, 404, true],
    ['a 500 with max-age', { 'cache-control': 'max-age=60' }, 500, true],
    ['a 599 without freshness', {}, 599, false],
    [
      'must-understand with an unknown status',
      { 'cache-control': 'max-age=60, must-understand' },
      599,
      false,
    ],
    [
      'must-understand overriding no-store',
      { 'cache-control': 'max-age=60, no-store, must-understand' },
      200,
      true,
    ],
    ['an invalid Age', { 'cache-control': 'max-age=60', age: 'abc' }, 200, false],
    ['Expires in the future', { date: httpDate(T0), expires: httpDate(T0 + 60_000) }, 200, true],
    [
      'CDN-Cache-Control over Cache-Control',
      { 'cdn-cache-control': 'max-age=60', 'cache-control': 'no-store' },
      200,
      true,
    ],
  ])('reuses %s: %s', async (_name, headers, status, reused) => {
    const { http, route } = setup()
    const h = handler(headers as ResponseHeaders, status)
    await send(http, route, h)
    await send(http, route, h)
    expect(h.calls === 1).toBe(reused)
  })

  it('a private targeted field wins over CDN-Cache-Control and Cache-Control', async () => {
    const { http, route } = setup({ targets: ['app-cache-control', 'cdn-cache-control'] })
    const h = handler({ 'app-cache-control': 'no-store', 'cdn-cache-control': 'max-age=60' })
    await send(http, route, h)
    await send(http, route, h)
    expect(h.calls).toBe(2)
  })

  it('heuristic freshness only when enabled', async () => {
    const headers = { date: httpDate(T0), 'last-modified': httpDate(T0 - 1_000_000) }
    for (const [heuristic, calls] of [
      [false, 2],
      [0.1, 1],
    ] as const) {
      const { http, route } = setup({ heuristic })
      const h = handler(headers)
      await send(http, route, h)
      await send(http, route, h)
      expect(h.calls).toBe(calls)
    }
  })

  it('request directives, when the route honours them', async () => {
    const { http, route } = setup({ honorRequestCacheControl: true })
    const h = handler({ 'cache-control': 'max-age=10' })
    await send(http, route, h)
    vi.setSystemTime(T0 + 5000)
    const cc = (value: string) => ({ headers: { 'cache-control': value } })
    expect(header(await send(http, route, h, cc('max-age=10')), 'x-cache')).toBe('HIT')
    expect(header(await send(http, route, h, cc('min-fresh=6')), 'x-cache')).toBe('MISS')
    expect(h.calls).toBe(2)
    vi.setSystemTime(T0 + 5000 + 12_000)
    expect(header(await send(http, route, h, cc('max-stale=5')), 'x-cache')).toBe('STALE')
    expect(h.calls).toBe(2)
    const only = await send(http, route, h, {
      path: '/other',
      headers: { 'cache-control': 'only-if-cached' },
    })
    expect([only.kind === 'send' && only.status, h.calls]).toEqual([504, 2])
    const ignored = setup()
    await send(ignored.http, ignored.route, h)
    await send(ignored.http, ignored.route, h, cc('no-cache'))
    expect(h.calls).toBe(3)
  })

  it('stale-while-revalidate: stale at once, refreshed by the background producer', async () => {
    const { http, route } = setup()
    const h = handler({ 'cache-control': 'max-age=1, stale-while-revalidate=60' })
    await send(http, route, h)
    vi.setSystemTime(T0 + 5000)
    const background = new FakeHandler(() => captured(200, 'fresh', { 'cache-control': 'max-age=60' }))
    const stale = await http.handle(request(), route, h.produce(), background.produce())
    expect([header(stale, 'x-cache'), text(stale), h.calls]).toEqual(['STALE', 'body 1', 1])
    await vi.waitFor(async () => expect(text(await send(http, route, h))).toBe('fresh'))
    expect(background.calls).toBe(1)
  })

  it('a failed revalidation serves the stored response, unless it must be revalidated', async () => {
    for (const [cc, served] of [
      ['max-age=1', 'STALE'],
      ['max-age=1, must-revalidate', 'MISS'],
    ] as const) {
      const { http, route } = setup()
      const h = new FakeHandler((n) => captured(n === 1 ? 200 : 503, `body ${n}`, { 'cache-control': cc }))
      await send(http, route, h)
      vi.setSystemTime(Date.now() + 5000)
      expect(header(await send(http, route, h), 'x-cache')).toBe(served)
    }
  })

  it('Vary on several headers, normalised', async () => {
    const { http, route } = setup()
    const h = handler({ 'cache-control': 'max-age=60', vary: 'Accept-Language, X-Foo' })
    const req = (lang: string, foo: string) => ({ headers: { 'accept-language': lang, 'x-foo': foo } })
    await send(http, route, h, req('en, fr', '1'))
    expect(header(await send(http, route, h, req('EN,fr', '1')), 'x-cache')).toBe('HIT')
    expect(header(await send(http, route, h, req('en, fr', '2')), 'x-cache')).toBe('MISS')
    expect(h.calls).toBe(2)
  })

  it('an unsafe method with a non-error status invalidates its path, Location and Content-Location', async () => {
    const { http, route } = setup()
    const get = handler({ 'cache-control': 'max-age=60' })
    for (const path of ['/a', '/b', '/c', '/d']) await send(http, route, get, { path })
    const post = new FakeHandler(() =>
      captured(303, '', { location: '/b', 'content-location': 'http://example.test/c' }),
    )
    await send(http, route, post, { method: 'M-SEARCH', path: '/a' })
    for (const path of ['/a', '/b', '/c', '/d']) await send(http, route, get, { path })
    expect(get.calls).toBe(7)
  })

  it('a HEAD response that validates the stored one refreshes its headers; one that does not drops it', async () => {
    const { http, route } = setup()
    let head: ResponseHeaders = { etag: '"a"', 'cache-control': 'max-age=60', 'x-v': '2' }
    const h: FakeHandler = new FakeHandler((n, mode) =>
      mode.validators === undefined && n > 1
        ? captured(200, '', head)
        : captured(200, 'v1', { etag: '"a"', 'cache-control': 'max-age=1', 'x-v': '1' }),
    )
    await send(http, route, h)
    vi.setSystemTime(T0 + 5000)
    await send(http, route, h, { method: 'HEAD' })
    const get = await send(http, route, h)
    expect([header(get, 'x-cache'), header(get, 'x-v'), text(get)]).toEqual(['HIT', '2', 'v1'])
    vi.setSystemTime(T0 + 100_000)
    head = { etag: '"b"', 'cache-control': 'max-age=60' }
    await send(http, route, h, { method: 'HEAD' })
    const calls = h.calls
    await send(http, route, h)
    expect(h.calls).toBe(calls + 1)
  })

  it('concurrent identical misses and revalidations run the handler once', async () => {
    const { http, route } = setup()
    const release = gate()
    const h = new FakeHandler(async (n) => {
      await release.promise
      return captured(200, `body ${n}`, { 'cache-control': 'max-age=1' })
    })
    const first = [send(http, route, h), send(http, route, h), send(http, route, h)]
    release.open()
    expect((await Promise.all(first)).map(text)).toEqual(['body 1', 'body 1', 'body 1'])
    vi.setSystemTime(T0 + 5000)
    const again = await Promise.all([send(http, route, h), send(http, route, h)])
    expect([again.map(text), h.calls]).toEqual([['body 2', 'body 2'], 2])
  })

  it('a HEAD miss keeps the Content-Length the handler set (the GET body’s)', async () => {
    const { http, route } = setup()
    const h = new FakeHandler(() => ({
      kind: 'captured',
      status: 200,
      headers: { 'content-length': '42', 'cache-control': 'max-age=60' },
      body: Buffer.alloc(0),
    }))
    const head = await send(http, route, h, { method: 'HEAD' })
    expect([header(head, 'x-cache'), header(head, 'content-length')]).toEqual(['MISS', undefined])
  })

  it('answers If-Modified-Since from the stored Last-Modified', async () => {
    const { http, route } = setup()
    const lastModified = httpDate(T0 - 60_000)
    const h = handler({ 'cache-control': 'max-age=60', 'last-modified': lastModified })
    await send(http, route, h)
    const conditional = await send(http, route, h, { headers: { 'if-modified-since': httpDate(T0 - 1000) } })
    expect([conditional.kind, h.calls]).toEqual(['not-modified', 1])
  })
})
