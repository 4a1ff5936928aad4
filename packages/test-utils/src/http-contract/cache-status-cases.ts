import { expect, it } from 'vitest'
import { call, handlerCalls, sleep } from './contract-client.js'
import type { ContractContext } from './contract-context.js'

/** x-cache states, age, etag and 304, exact replay, HEAD, grace. */
export function cacheStatusCases(ctx: ContractContext): void {
  it('MISS then HIT with age and etag; status, content type and body bytes replay exactly', async () => {
    const miss = await call(`${ctx.a}/items/replay`)
    const hit = await call(`${ctx.a}/items/replay`)
    expect([miss.status, miss.xCache, hit.status, hit.xCache]).toEqual([200, 'MISS', 200, 'HIT'])
    expect(miss.json()).toMatchObject({ id: 'replay', calls: 1 })
    expect(hit.bytes.equals(miss.bytes)).toBe(true)
    expect(hit.headers.get('content-type')).toBe(miss.headers.get('content-type'))
    expect(hit.headers.get('content-type')).toMatch(/^application\/json/)
    expect(hit.headers.get('age')).toMatch(/^\d+$/)
    expect(miss.headers.get('etag')).toBeTruthy()
    expect(hit.headers.get('etag')).toBe(miss.headers.get('etag'))
    if (ctx.mode === 'redis') {
      // The other process answers from Redis, byte for byte, without running its handler.
      const other = await call(`${ctx.b}/items/replay`)
      expect([other.xCache, other.bytes.equals(miss.bytes)]).toEqual(['HIT', true])
      expect((await handlerCalls(ctx.b)).items ?? 0).toBe(0)
    }
  })

  it('If-None-Match gives 304 for the same URL only, never across URLs', async () => {
    const one = await call(`${ctx.a}/items/etag-1`)
    const etag = one.headers.get('etag')!
    const revalidated = await call(`${ctx.a}/items/etag-1`, { headers: { 'if-none-match': etag } })
    expect([revalidated.status, revalidated.bytes.length, revalidated.headers.get('etag')]).toEqual([
      304,
      0,
      etag,
    ])
    await call(`${ctx.a}/items/etag-2`)
    for (const path of ['/items/etag-2', '/items/etag-3']) {
      const other = await call(`${ctx.a}${path}`, { headers: { 'if-none-match': etag } })
      expect(other.status).toBe(200)
      expect(other.json()).toMatchObject({ id: path.slice(7) })
    }
  })

  it('BYPASS for requests with Authorization or Cookie on a shared route', async () => {
    await call(`${ctx.a}/items/bypass`)
    const auth = await call(`${ctx.a}/items/bypass`, { headers: { authorization: 'Bearer mallory' } })
    const cookie = await call(`${ctx.a}/items/bypass`, { headers: { cookie: 'sid=mallory' } })
    expect([auth.xCache, cookie.xCache]).toEqual(['BYPASS', 'BYPASS'])
    expect([auth.json().calls, cookie.json().calls]).toEqual([2, 3])
  })

  it('HEAD never poisons GET', async () => {
    const head = await call(`${ctx.a}/items/head`, { method: 'HEAD' })
    expect([head.status, head.bytes.length]).toEqual([200, 0])
    expect(head.xCache).not.toBe('HIT')
    const get = await call(`${ctx.a}/items/head`)
    expect(get.xCache).toBe('MISS')
    expect(get.json()).toMatchObject({ id: 'head' })
    const again = await call(`${ctx.a}/items/head`)
    expect([again.xCache, again.bytes.equals(get.bytes)]).toEqual(['HIT', true])
    const headHit = await call(`${ctx.a}/items/head`, { method: 'HEAD' })
    expect([headHit.xCache, headHit.headers.get('content-length')]).toEqual(['HIT', String(get.bytes.length)])
  })

  it('5xx is never stored, and within grace a 5xx is answered with the stale body (STALE)', async () => {
    const first = await call(`${ctx.a}/flaky`)
    expect(first.status).toBe(500)
    const second = await call(`${ctx.a}/flaky`)
    expect([second.status, second.xCache, second.json()]).toEqual([200, 'MISS', { calls: 2 }])
    expect((await call(`${ctx.a}/flaky`)).xCache).toBe('HIT')
    await sleep(1200)
    // Call 3 fails: the expired entry is served instead (stale-if-error, RFC 5861 §4).
    const stale = await call(`${ctx.a}/flaky`)
    expect([stale.status, stale.xCache, stale.json()]).toEqual([200, 'STALE', { calls: 2 }])
    const fresh = await call(`${ctx.a}/flaky`)
    expect([fresh.status, fresh.xCache, fresh.json()]).toEqual([200, 'MISS', { calls: 4 }])
  })

  it('within grace an expired entry refreshes once while concurrent requests get it as STALE or the new one', async () => {
    await call(`${ctx.a}/stale`)
    await sleep(1200)
    const refreshing = Date.now()
    const answers = await Promise.all(Array.from({ length: 8 }, () => call(`${ctx.a}/stale`)))
    expect(answers.every((r) => r.status === 200)).toBe(true)
    expect(answers.every((r) => ['MISS', 'STALE', 'HIT'].includes(r.xCache ?? ''))).toBe(true)
    expect(answers.every((r) => [1, 2].includes(r.json<{ calls: number }>().calls))).toBe(true)
    expect((await handlerCalls(ctx.a)).stale).toBe(2)
    const after = await call(`${ctx.a}/stale`)
    // The refreshed entry (1 s TTL) was stored after `refreshing`: an answer back within that
    // second was decided while it was fresh. On a machine slow enough to take longer, it may
    // have expired again, and the next refresh is the third call.
    if (Date.now() - refreshing < 1000) expect([after.xCache, after.json()]).toEqual(['HIT', { calls: 2 }])
    else
      expect([
        ['HIT', 2],
        ['STALE', 2],
        ['MISS', 3],
      ]).toContainEqual([after.xCache, after.json<{ calls: number }>().calls])
  })
}
