import { describe, expect, it, vi } from 'vitest'
import { createCache } from '../create-cache.js'
import { createHttpCache } from './http-cache.js'
import { resolveRouteOptions } from './route-options.js'
import { captured, FakeHandler, header, send, sleep, text } from './test-helpers.js'

function setup() {
  const cache = createCache({ namespace: 'test' })
  const http = createHttpCache({ cache })
  return { cache, http, route: http.route() }
}

describe('invalidation after mutations', () => {
  it('a 2xx PUT on a path invalidates every cached GET variant of that path, before answering', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    await send(http, route, h, { path: '/items/1' })
    await send(http, route, h, { path: '/items/1', query: 'v=2' })
    await send(http, route, h, { path: '/items/2' })
    const put = await send(http, route, h, { method: 'PUT', path: '/items/1' })
    expect(header(put, 'x-cache')).toBe('BYPASS')
    expect(header(await send(http, route, h, { path: '/items/1' }), 'x-cache')).toBe('MISS')
    expect(header(await send(http, route, h, { path: '/items/1', query: 'v=2' }), 'x-cache')).toBe('MISS')
    expect(header(await send(http, route, h, { path: '/items/2' }), 'x-cache')).toBe('HIT')
  })

  it.each(['POST', 'PATCH', 'DELETE'])('a 2xx %s invalidates too', async (method) => {
    const { http, route } = setup()
    const h = new FakeHandler()
    await send(http, route, h)
    await send(http, route, h, { method })
    expect(header(await send(http, route, h), 'x-cache')).toBe('MISS')
  })

  it('a failed mutation (4xx/5xx) invalidates nothing', async () => {
    const { http, route } = setup()
    const h = new FakeHandler((n) => (n === 2 ? captured(409, 'conflict') : captured(200, `body ${n}`)))
    await send(http, route, h)
    await send(http, route, h, { method: 'PUT' })
    expect(header(await send(http, route, h), 'x-cache')).toBe('HIT')
  })

  it('invalidateTags of the route runs after a successful mutation; invalidateOnMutation: false keeps the path', async () => {
    const { http } = setup()
    const list = http.route({ tags: ['list'] })
    const item = http.route()
    const put = http.route({ invalidateOnMutation: false, invalidateTags: () => ['list'] })
    const quiet = http.route({ invalidateOnMutation: false })
    const h = new FakeHandler()
    await send(http, list, h, { path: '/list' })
    await send(http, item, h, { path: '/items/9' })
    await send(http, quiet, h, { method: 'PUT', path: '/items/9' })
    expect(header(await send(http, item, h, { path: '/items/9' }), 'x-cache')).toBe('HIT')
    await send(http, put, h, { method: 'PUT', path: '/items/9' })
    expect(header(await send(http, list, h, { path: '/list' }), 'x-cache')).toBe('MISS')
    expect(header(await send(http, item, h, { path: '/items/9' }), 'x-cache')).toBe('HIT')
  })

  it('invalidate({ paths, tags }) drops those responses', async () => {
    const { http } = setup()
    const route = http.route({ tags: (req) => [`item:${(req as { id: string }).id}`] })
    const h = new FakeHandler()
    await send(http, route, h, { path: '/a', raw: { id: '1' } })
    await send(http, route, h, { path: '/b', raw: { id: '2' } })
    await http.invalidate({ paths: ['/a'] })
    await http.invalidate({ tags: ['item:2'] })
    expect(h.calls).toBe(2)
    await send(http, route, h, { path: '/a', raw: { id: '1' } })
    await send(http, route, h, { path: '/b', raw: { id: '2' } })
    expect(h.calls).toBe(4)
  })

  it('an invalidation during a refresh stops serving the stale entry at once', async () => {
    const { http } = setup()
    const route = http.route({ ttl: 30, grace: '10s' })
    let release!: () => void
    const h = new FakeHandler(async (n) => {
      if (n === 2) await new Promise<void>((r) => (release = r))
      return captured(200, `body ${n}`)
    })
    await send(http, route, h)
    await sleep(40)
    const refresher = send(http, route, h)
    await sleep(5)
    await http.invalidate({ paths: ['/items/1'] })
    const after = send(http, route, h)
    await sleep(5)
    release()
    expect(text(await after)).toBe('body 3')
    await refresher
  })
})

describe('per-route options', () => {
  it('route ttl: an entry expires after its own ttl', async () => {
    // A fake clock: on a busy machine, 20 ms could pass between the two first requests.
    vi.useFakeTimers({ toFake: ['Date'] })
    try {
      const { http } = setup()
      const short = http.route({ ttl: 20, grace: false })
      const h = new FakeHandler()
      await send(http, short, h)
      expect(header(await send(http, short, h), 'x-cache')).toBe('HIT')
      vi.setSystemTime(Date.now() + 30)
      expect(header(await send(http, short, h), 'x-cache')).toBe('MISS')
    } finally {
      vi.useRealTimers()
    }
  })

  it('a disabled route passes everything through without x-cache', async () => {
    const { http } = setup()
    const off = http.route(false)
    const h = new FakeHandler()
    expect((await send(http, off, h)).kind).toBe('done')
    expect(h.modes[0]).toMatchObject({ capture: false, xCache: undefined })
  })
})

describe('resolveRouteOptions', () => {
  it.each([
    [{ ttl: -1 }],
    [{ ttl: 0 }],
    [{ ttl: 'soon' }],
    [{ grace: 'x' }],
    [{ methods: ['DELETE'] }],
    [{ methods: 'GET' }],
    [{ statuses: [206] }],
    [{ statuses: [304] }],
    [{ statuses: ['200'] }],
    [{ varyBy: { headers: ['bad header'] } }],
    [{ varyBy: { user: 'id' } }],
    [{ tags: [''] }],
    [{ key: 'k' }],
    [{ maxEntryBytes: 'big' }],
    [{ maxEntryBytes: 0 }],
    [{ honorRequestCacheControl: 'yes' }],
    [{ ttL: '1m' }],
  ])('throws ERR_CACHE_INVALID_OPTION at setup for %j', (options) => {
    expect(() => resolveRouteOptions(options as never)).toThrow(
      expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }),
    )
  })

  it('merges route options over defaults', () => {
    const route = resolveRouteOptions(
      { ttl: '5s' },
      { ttl: '1m', methods: ['GET', 'POST'], maxEntryBytes: '2kb' },
    )
    expect([route.ttl, route.post, route.head, route.maxEntryBytes]).toEqual([5000, true, false, 2048])
  })

  it('createHttpCache validates its cache and defaults', () => {
    expect(() => createHttpCache({} as never)).toThrow(
      expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }),
    )
    const cache = createCache()
    expect(() => createHttpCache({ cache, ttl: 'never' })).toThrow(
      expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }),
    )
  })
})
