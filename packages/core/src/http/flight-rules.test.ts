import { describe, expect, it, onTestFinished, vi } from 'vitest'
import { createCache } from '../create-cache.js'
import { createHttpCache } from './http-cache.js'
import type { RouteCacheOptions } from './route-options.js'
import { captured, FakeHandler, gate, header, send, sleep, text } from './test-helpers.js'
import type { Produced, ResponseHeaders } from './types.js'

function setup(options: RouteCacheOptions = {}) {
  const cache = createCache({ namespace: 'test' })
  const http = createHttpCache({ cache })
  return { cache, http, route: http.route(options) }
}

/** A handler held at `gate` until the test opens it. */
function held(respond: (n: number) => Produced) {
  const g = gate()
  const h = new FakeHandler(async (n) => {
    await g.promise
    return respond(n)
  })
  return { h, open: g.open }
}

describe('coalescing', () => {
  it('runs the handler once for concurrent identical misses; every request gets its response', async () => {
    const { http, route } = setup()
    const { h, open } = held((n) => captured(200, `body ${n}`))
    const pending = Array.from({ length: 20 }, () => send(http, route, h))
    await sleep(5)
    open()
    const decisions = await Promise.all(pending)
    expect(h.calls).toBe(1)
    expect(new Set(decisions.map(text))).toEqual(new Set(['body 1']))
    expect(decisions.filter((d) => header(d, 'x-cache') === 'MISS')).toHaveLength(1)
  })

  it('never lets a bypassing request join a flight', async () => {
    const { http, route } = setup()
    const { h, open } = held((n) => captured(200, `body ${n}`))
    const leader = send(http, route, h)
    await sleep(5)
    const withCookie = send(http, route, h, { headers: { cookie: 'sid=2' } })
    await sleep(5)
    expect(h.calls).toBe(2)
    open()
    await Promise.all([leader, withCookie])
  })

  it.each([
    ['Set-Cookie', { 'set-cookie': 'sid=leader' }],
    ['private', { 'cache-control': 'private' }],
  ])(
    "never hands a leader's %s response to its followers: each runs its own handler",
    async (_n, headers) => {
      const { http, route } = setup()
      const { h, open } = held((n) => captured(200, `user ${n}`, headers as ResponseHeaders))
      const pending = Array.from({ length: 5 }, () => send(http, route, h))
      await sleep(5)
      open()
      const decisions = await Promise.all(pending)
      expect(h.calls).toBe(5)
      // The leader answers with its own body; the followers ran their own handler (written directly).
      expect(decisions.filter((d) => d.kind === 'send').map(text)).toEqual(['user 1'])
      expect(decisions.filter((d) => d.kind === 'done')).toHaveLength(4)
    },
  )

  it("shares a leader's shareable but unstorable response (a 5xx) instead of re-running the handler", async () => {
    const { http, route } = setup()
    const { h, open } = held(() => captured(503, 'down', { 'set-cookie': undefined }))
    const pending = Array.from({ length: 5 }, () => send(http, route, h))
    await sleep(5)
    open()
    const decisions = await Promise.all(pending)
    expect(h.calls).toBe(1)
    expect(decisions.map((d) => (d.kind === 'send' ? d.status : d.kind))).toEqual([503, 503, 503, 503, 503])
  })

  it('shares an unstorable response only with followers whose Vary values match', async () => {
    const { http, route } = setup()
    const { h, open } = held((n) => captured(404, `lang ${n}`, { vary: 'accept-language' }))
    const en = send(http, route, h, { headers: { 'accept-language': 'en' } })
    await sleep(2)
    const en2 = send(http, route, h, { headers: { 'accept-language': 'en' } })
    const fr = send(http, route, h, { headers: { 'accept-language': 'fr' } })
    await sleep(5)
    open()
    const [a, b, c] = await Promise.all([en, en2, fr])
    expect([text(a), text(b), c.kind]).toEqual(['lang 1', 'lang 1', 'done'])
    expect(h.calls).toBe(2)
  })

  it('lets the followers of an aborted leader try again, one of them leading', async () => {
    const { http, route } = setup()
    const g = gate()
    const h = new FakeHandler(async (n) => {
      if (n === 1) {
        await g.promise
        return { kind: 'aborted' }
      }
      return captured(200, `body ${n}`)
    })
    const pending = Array.from({ length: 4 }, () => send(http, route, h))
    await sleep(5)
    g.open()
    const decisions = await Promise.all(pending)
    expect(h.calls).toBe(2)
    expect(decisions.map((d) => d.kind)).toEqual(['done', 'send', 'send', 'send'])
    // Nothing from the aborted run was stored; the retry's response was.
    expect(text(await send(http, route, h))).toBe('body 2')
  })
})

describe('grace', () => {
  it('serves an expired entry as STALE to concurrent requests while one request refreshes it', async () => {
    // The cache's clock moves only when the test says: a busy machine cannot expire the
    // refreshed entry before the last request reads it.
    vi.useFakeTimers({ toFake: ['Date'] })
    onTestFinished(() => {
      vi.useRealTimers()
    })
    const { http, route } = setup({ ttl: 30, grace: '10s' })
    const g = gate()
    const h = new FakeHandler(async (n) => {
      if (n > 1) await g.promise
      return captured(200, `body ${n}`)
    })
    await send(http, route, h)
    vi.setSystemTime(Date.now() + 40)
    const refresher = send(http, route, h)
    await sleep(5)
    const stale = await send(http, route, h)
    expect([header(stale, 'x-cache'), text(stale)]).toEqual(['STALE', 'body 1'])
    g.open()
    const fresh = await refresher
    expect([header(fresh, 'x-cache'), text(fresh)]).toEqual(['MISS', 'body 2'])
    expect(text(await send(http, route, h))).toBe('body 2')
    expect(h.calls).toBe(2)
  })

  it.each([
    ['answers 5xx', () => captured(500, 'boom')],
    [
      'throws',
      () => {
        throw new Error('boom')
      },
    ],
  ])('serves the stale entry when the handler %s (stale-if-error, RFC 5861 §4)', async (_n, fail) => {
    const { http, route } = setup({ ttl: 30, grace: '10s' })
    const h = new FakeHandler((n) => (n === 1 ? captured(200, 'good') : fail()))
    await send(http, route, h)
    await sleep(40)
    const decision = await send(http, route, h)
    expect([header(decision, 'x-cache'), text(decision)]).toEqual(['STALE', 'good'])
  })

  it('never stores errors: after a 5xx, the next request runs the handler again', async () => {
    const { http, route } = setup()
    const h = new FakeHandler((n) => (n === 1 ? captured(500, 'boom') : captured(200, 'ok')))
    const first = await send(http, route, h)
    expect(first.kind === 'send' && first.status).toBe(500)
    expect(text(await send(http, route, h))).toBe('ok')
    expect(text(await send(http, route, h))).toBe('ok')
    expect(h.calls).toBe(2)
  })

  it('without grace, a handler failure reaches the client', async () => {
    const { http, route } = setup({ ttl: 30, grace: false })
    const h = new FakeHandler((n) => {
      if (n === 1) return captured(200, 'good')
      throw new Error('boom')
    })
    await send(http, route, h)
    await sleep(40)
    await expect(send(http, route, h)).rejects.toThrow('boom')
  })
})
