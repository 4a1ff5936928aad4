import { describe, expect, it } from 'vitest'
import { createCache } from '../create-cache.js'
import { formatCacheStatus, resolveCacheStatus } from './cache-status.js'
import { createHttpCache } from './http-cache.js'
import type { RouteCacheOptions } from './route-options.js'
import { captured, FakeHandler, gate, header, send } from './test-helpers.js'

function setup(options: RouteCacheOptions = {}) {
  const http = createHttpCache({ cache: createCache({ namespace: 'cs' }), ...options })
  return { http, route: http.route() }
}

describe('formatCacheStatus', () => {
  it('writes the identifier then the parameters in RFC 9211 order', () => {
    expect(formatCacheStatus('cache', { fwd: 'uri-miss', fwdStatus: 200, stored: true, ttl: 60 })).toBe(
      'cache; fwd=uri-miss; fwd-status=200; ttl=60; stored',
    )
    expect(formatCacheStatus('cache', { hit: true, ttl: -3.7 })).toBe('cache; hit; ttl=-3')
    expect(formatCacheStatus('cache', { fwd: 'uri-miss', collapsed: true })).toBe(
      'cache; fwd=uri-miss; collapsed',
    )
  })

  it('quotes an identifier that is not a token, and always the key', () => {
    expect(formatCacheStatus('my cache', { hit: true, key: 'a"b\\c' })).toBe(
      '"my cache"; hit; key="a\\"b\\\\c"',
    )
    expect(formatCacheStatus('edge/1', { detail: 'two words' })).toBe('edge/1; detail="two words"')
  })

  it('validates the option at setup', () => {
    expect(resolveCacheStatus(false)).toBeUndefined()
    expect(resolveCacheStatus(undefined)).toEqual({ name: 'cache', key: false })
    for (const bad of [{ name: '' }, { name: 'é' }, { key: 'yes' }, { nmae: 'x' }, 'x']) {
      expect(() => resolveCacheStatus(bad as never)).toThrow(
        expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }),
      )
    }
  })
})

describe('Cache-Status on every decision', () => {
  it('a miss that stores, then a hit with the remaining ttl', async () => {
    const { http, route } = setup({ ttl: '30s' })
    const h = new FakeHandler()
    expect(header(await send(http, route, h), 'cache-status')).toBe(
      'cache; fwd=uri-miss; fwd-status=200; ttl=30; stored',
    )
    expect(header(await send(http, route, h), 'cache-status')).toMatch(/^cache; hit; ttl=(29|30)$/)
    // The conditional replay (304) says the same.
    const etag = header(await send(http, route, h), 'etag')!
    const revalidated = await send(http, route, h, { headers: { 'if-none-match': etag } })
    expect([revalidated.kind, header(revalidated, 'cache-status')?.startsWith('cache; hit;')]).toEqual([
      'not-modified',
      true,
    ])
  })

  it('a response that is not stored says so, with its status', async () => {
    const { http, route } = setup()
    const h = new FakeHandler(() => captured(404, 'no'))
    expect(header(await send(http, route, h), 'cache-status')).toBe('cache; fwd=uri-miss; fwd-status=404')
  })

  it('bypasses, methods and passthroughs carry it in the produce mode', async () => {
    const { http, route } = setup()
    const h = new FakeHandler()
    await send(http, route, h, { headers: { range: 'bytes=0-1' } })
    await send(http, route, h, { method: 'OPTIONS' })
    const put = await send(http, route, h, { method: 'PUT' })
    expect(h.modes.map((m) => m.cacheStatus)).toEqual([
      'cache; fwd=bypass',
      'cache; fwd=method',
      'cache; fwd=method',
    ])
    expect(header(put, 'cache-status')).toBe('cache; fwd=method; fwd-status=200')
  })

  it('followers of a flight whose response is not stored are collapsed', async () => {
    const { http, route } = setup()
    const release = gate()
    const h = new FakeHandler(async () => {
      await release.promise
      return captured(404, 'shared')
    })
    const leader = send(http, route, h)
    const follower = send(http, route, h)
    release.open()
    const statuses = [header(await leader, 'cache-status'), header(await follower, 'cache-status')]
    expect(h.calls).toBe(1)
    expect(statuses).toEqual([
      'cache; fwd=uri-miss; fwd-status=404',
      'cache; fwd=uri-miss; fwd-status=404; collapsed',
    ])
  })

  it('shows the key only when enabled, and is off with cacheStatus: false', async () => {
    const keyed = setup({ cacheStatus: { name: 'edge', key: true } })
    const h = new FakeHandler()
    await send(keyed.http, keyed.route, h)
    expect(header(await send(keyed.http, keyed.route, h), 'cache-status')).toMatch(
      /^edge; hit; ttl=\d+; key="[0-9a-f]{64}"$/,
    )
    const off = setup({ cacheStatus: false })
    expect(header(await send(off.http, off.route, h), 'cache-status')).toBeUndefined()
    expect(header(await send(off.http, off.route, h), 'x-cache')).toBe('HIT')
  })
})
