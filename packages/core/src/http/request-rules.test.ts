import { describe, expect, it } from 'vitest'
import { createCache } from '../create-cache.js'
import { createHttpCache } from './http-cache.js'
import { captured, FakeHandler, header, request, send, text } from './test-helpers.js'
import type { HttpDecision } from './types.js'

function setup(
  options: Parameters<typeof createHttpCache>[0] extends infer O ? Omit<O, 'cache'> : never = {},
) {
  const cache = createCache({ namespace: 'test' })
  const http = createHttpCache({ cache, ...options })
  return { cache, http, route: http.route() }
}

describe("respond (the adapters' hot path)", () => {
  it('answers a fresh response in memory synchronously; anything else is a promise', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    const miss = http.respond(request(), route, h.produce())
    expect(miss).toBeInstanceOf(Promise)
    expect(header(await miss, 'x-cache')).toBe('MISS')
    const hit = http.respond(request(), route, h.produce())
    expect(hit).not.toBeInstanceOf(Promise)
    expect([header(hit as HttpDecision, 'x-cache'), text(hit as HttpDecision), h.calls]).toEqual([
      'HIT',
      'body 1',
      1,
    ])
    // Credentials the key ignores take the slow path (only public responses may answer them).
    expect(http.respond(request({ headers: { cookie: 'a=1' } }), route, h.produce())).toBeInstanceOf(Promise)
  })

  it("finds a Vary index in memory and goes on with this request's variant", async () => {
    const { http, route } = setup()
    const h = new FakeHandler((n) => captured(200, `body ${n}`, { vary: 'accept-language' }))
    const en = { headers: { 'accept-language': 'en' } }
    const fr = { headers: { 'accept-language': 'fr' } }
    await http.respond(request(en), route, h.produce())
    const hit = http.respond(request(en), route, h.produce())
    expect(hit).not.toBeInstanceOf(Promise)
    const other = await http.respond(request(fr), route, h.produce())
    expect([header(other, 'x-cache'), text(other), h.calls]).toEqual(['MISS', 'body 2', 2])
    const head = await http.respond(request({ ...fr, method: 'HEAD' }), route, h.produce())
    expect(header(head, 'x-cache')).toBe('HIT')
  })
})

describe('methods', () => {
  it('caches GET: the second request is a HIT and the handler runs once', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    const first = await send(http, route, h)
    const second = await send(http, route, h)
    expect(header(first, 'x-cache')).toBe('MISS')
    expect(header(second, 'x-cache')).toBe('HIT')
    expect(text(second)).toBe('body 1')
    expect(h.calls).toBe(1)
  })

  it('does not cache POST unless the route opts in', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    const a = await send(http, route, h, { method: 'POST', body: { a: 1 } })
    await send(http, route, h, { method: 'POST', body: { a: 1 } })
    expect(h.calls).toBe(2)
    expect(header(a, 'x-cache')).toBe('BYPASS')
  })

  it('keys opted-in POST by the canonical body: key order does not matter, values do', async () => {
    const { http } = setup()
    const route = http.route({ methods: ['POST'] })
    const h = new FakeHandler()
    const json = { 'content-type': 'application/json' }
    await send(http, route, h, { method: 'POST', headers: json, body: { a: 1, b: [1, 2] } })
    const same = await send(http, route, h, { method: 'POST', headers: json, body: { b: [1, 2], a: 1 } })
    const other = await send(http, route, h, { method: 'POST', headers: json, body: { a: 1, b: [2, 1] } })
    expect(header(same, 'x-cache')).toBe('HIT')
    expect(header(other, 'x-cache')).toBe('MISS')
    expect(h.calls).toBe(2)
  })

  it('bypasses an opted-in POST without a parsed body (it could not be keyed)', async () => {
    const { http } = setup()
    const route = http.route({ methods: ['POST'] })
    const h = new FakeHandler()
    await send(http, route, h, { method: 'POST' })
    const again = await send(http, route, h, { method: 'POST' })
    expect(again.kind).toBe('done')
    expect(h.calls).toBe(2)
  })

  it('never caches PUT, PATCH or DELETE, and refuses them as cacheable methods at setup', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    for (const method of ['PUT', 'PATCH', 'DELETE', 'PUT']) await send(http, route, h, { method })
    expect(h.calls).toBe(4)
    expect(() => http.route({ methods: ['PUT' as 'GET'] })).toThrow(
      expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }),
    )
  })
})

describe('key', () => {
  it('distinguishes protocol, host (with its port) and path', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    await send(http, route, h)
    for (const variant of [
      { protocol: 'https' },
      { host: 'other.test' },
      { host: 'example.test:8080' },
      { path: '/items/2' },
    ]) {
      expect(header(await send(http, route, h, variant), 'x-cache')).toBe('MISS')
    }
    expect(h.calls).toBe(5)
  })

  it('normalises the query: sorted parameters, repeated ones kept in order, an empty query equals none', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    await send(http, route, h, { query: 'b=2&a=1&a=3' })
    expect(header(await send(http, route, h, { query: 'a=1&b=2&a=3' }), 'x-cache')).toBe('HIT')
    expect(header(await send(http, route, h, { query: 'a=3&b=2&a=1' }), 'x-cache')).toBe('MISS')
    await send(http, route, h, { query: '' })
    expect(header(await send(http, route, h, { query: '&' }), 'x-cache')).toBe('HIT')
  })

  it('is structured: a value containing separators never collides with other parameters', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    await send(http, route, h, { query: 'a=1&b=2' })
    expect(header(await send(http, route, h, { query: 'a=1%26b%3D2' }), 'x-cache')).toBe('MISS')
  })

  it('includes opted-in headers and cookies, and the route key extras', async () => {
    const { http } = setup()
    const h = new FakeHandler()
    const route = http.route({
      varyBy: { headers: ['X-Tenant'], cookies: ['theme'] },
      key: (req) => (req as { v: number }).v,
    })
    const req = (tenant: string, theme: string, v = 1) => ({
      headers: { 'x-tenant': tenant, cookie: `sid=1; theme=${theme}` },
      raw: { v },
    })
    await send(http, route, h, req('a', 'dark'))
    expect(header(await send(http, route, h, req('a', 'dark')), 'x-cache')).toBe('HIT')
    expect(header(await send(http, route, h, req('b', 'dark')), 'x-cache')).toBe('MISS')
    expect(header(await send(http, route, h, req('a', 'light')), 'x-cache')).toBe('MISS')
    expect(header(await send(http, route, h, req('a', 'dark', 2)), 'x-cache')).toBe('MISS')
  })
})

describe('HEAD', () => {
  it('never poisons GET: a HEAD miss stores nothing, a GET stores the full body, HEAD then hits it', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    const head = await send(http, route, h, { method: 'HEAD' })
    expect(head.kind).toBe('done')
    expect(h.modes[0]).toMatchObject({ capture: false, xCache: 'MISS' })
    const get = await send(http, route, h)
    expect(header(get, 'x-cache')).toBe('MISS')
    expect(text(get)).toBe('body 2')
    const head2 = await send(http, route, h, { method: 'HEAD' })
    expect(header(head2, 'x-cache')).toBe('HIT')
    expect(header(head2, 'content-length')).toBe('6')
    expect(h.calls).toBe(2)
  })
})

describe('credentials', () => {
  it('bypasses requests with Authorization or Cookie on a route that does not opt in', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    await send(http, route, h)
    const auth = await send(http, route, h, { headers: { authorization: 'Bearer alice' } })
    const cookie = await send(http, route, h, { headers: { cookie: 'sid=1' } })
    expect([auth.kind, cookie.kind]).toEqual(['done', 'done'])
    expect(h.modes.slice(1)).toMatchObject([{ xCache: 'BYPASS' }, { xCache: 'BYPASS' }])
    expect(h.calls).toBe(3)
  })

  it('lets a stored public / s-maxage response answer requests with credentials (RFC 9111 §3.5)', async () => {
    const { http, route } = setup()
    const h = new FakeHandler((n) => captured(200, `public ${n}`, { 'cache-control': 'public, max-age=60' }))
    await send(http, route, h)
    const auth = await send(http, route, h, { headers: { authorization: 'Bearer alice' } })
    expect(header(auth, 'x-cache')).toBe('HIT')
    expect(text(auth)).toBe('public 1')
  })

  it('caches per user when the route names the user, and never shares between users', async () => {
    const { http } = setup()
    const route = http.route({ varyBy: { user: (req) => (req as { user?: string }).user } })
    const h = new FakeHandler((n, _mode) => captured(200, `for call ${n}`))
    const as = (user: string | undefined) => ({ headers: { authorization: `Bearer ${user}` }, raw: { user } })
    const alice = await send(http, route, h, as('alice'))
    const bob = await send(http, route, h, as('bob'))
    const alice2 = await send(http, route, h, as('alice'))
    expect([text(alice), text(bob), text(alice2)]).toEqual(['for call 1', 'for call 2', 'for call 1'])
    const nobody = await send(http, route, h, as(undefined))
    expect(nobody.kind).toBe('done')
    expect(h.modes.at(-1)?.xCache).toBe('BYPASS')
  })

  it('does not treat a header-only opt-in as naming the user for Authorization', async () => {
    const { http } = setup()
    const route = http.route({ varyBy: { headers: ['accept-language'] } })
    const h = new FakeHandler()
    await send(http, route, h, { headers: { 'accept-language': 'en' } })
    const auth = await send(http, route, h, {
      headers: { 'accept-language': 'en', authorization: 'Bearer x' },
    })
    expect(auth.kind).toBe('done')
  })
})

describe('request Cache-Control', () => {
  it('is ignored by default: no-cache from a client cannot force recomputation', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    await send(http, route, h)
    const again = await send(http, route, h, { headers: { 'cache-control': 'no-cache', pragma: 'no-cache' } })
    expect(header(again, 'x-cache')).toBe('HIT')
    expect(h.calls).toBe(1)
  })

  it('is honoured when the route opts in: no-cache refreshes and stores, no-store bypasses', async () => {
    const { http } = setup()
    const route = http.route({ honorRequestCacheControl: true })
    const h = new FakeHandler()
    await send(http, route, h)
    const refreshed = await send(http, route, h, { headers: { 'cache-control': 'max-age=0' } })
    expect([header(refreshed, 'x-cache'), text(refreshed)]).toEqual(['MISS', 'body 2'])
    expect(text(await send(http, route, h))).toBe('body 2')
    const noStore = await send(http, route, h, { headers: { 'cache-control': 'no-store' } })
    expect(noStore.kind).toBe('done')
    expect(h.calls).toBe(3)
  })
})

describe('range requests', () => {
  it('bypass the cache (partial content is neither served nor stored)', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    await send(http, route, h)
    const ranged = await send(http, route, h, { headers: { range: 'bytes=0-1' } })
    expect(ranged.kind).toBe('done')
    expect(h.calls).toBe(2)
  })
})
