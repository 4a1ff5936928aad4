import { expect, it } from 'vitest'
import { CONTRACT_HOST, call, handlerCalls, postJson, sleep, totalCalls } from './contract-client.js'
import type { ContractContext } from './contract-context.js'

/** What must never be shared or stored, POST keys, bad input, aborted and oversized responses. */
export function safetyCases(ctx: ContractContext): void {
  it('POST /predict is keyed by the canonical body: key order and whitespace do not matter, values do', async () => {
    const first = await postJson(`${ctx.a}/predict`, '{"features":[1,2.5],"tag":"a"}')
    const reordered = await postJson(`${ctx.a}/predict`, '{ "tag" : "a" ,\n "features" : [ 1, 2.5 ] }')
    const other = await postJson(`${ctx.a}/predict`, '{"features":[1,2.6],"tag":"a"}')
    expect([first.xCache, reordered.xCache, other.xCache]).toEqual(['MISS', 'HIT', 'MISS'])
    expect(reordered.bytes.equals(first.bytes)).toBe(true)
    const body = first.json<{ features: number[]; score: number }>()
    expect(body.features).toEqual([1, 2.5])
    expect(typeof body.score).toBe('number')
    expect(other.json<{ score: number }>().score).not.toBe(body.score)
    expect((await handlerCalls(ctx.a)).predict).toBe(2)
  })

  it('bad JSON or a wrong shape on /predict gets a 4xx JSON error; nothing is cached, the handler never runs', async () => {
    for (const body of [
      '{"features": [1, 2',
      '{"features": [1, 2',
      '{"features":"x"}',
      '{"features":[]}',
      '{"features":[1,"2"]}',
    ]) {
      const res = await postJson(`${ctx.a}/predict`, body)
      expect(res.status).toBeGreaterThanOrEqual(400)
      expect(res.status).toBeLessThan(500)
      expect(res.headers.get('content-type')).toMatch(/^application\/json/)
      const error = res.json<{ error: { code: unknown; message: unknown } }>().error
      expect([typeof error.code, typeof error.message]).toEqual(['string', 'string'])
      expect(res.xCache).not.toBe('HIT')
    }
    expect((await postJson(`${ctx.a}/predict`, '{"features": [1, 2')).status).toBe(400)
    expect((await postJson(`${ctx.a}/predict`, '{"features":"x"}')).status).toBe(422)
    expect((await handlerCalls(ctx.a)).predict ?? 0).toBe(0)
    expect((await postJson(`${ctx.a}/predict`, '{"features":[3]}')).status).toBe(200)
  })

  it('requests with Authorization or Cookie never share a body', async () => {
    const users = ['alice', 'bob', 'carol']
    const answers = await Promise.all(
      [...users, ...users, ...users].map(async (user, i) => {
        const res = await call(`${ctx.urls[i % ctx.urls.length]}/me`, {
          headers: { authorization: `Bearer ${user}` },
        })
        return { user, body: res.json<{ user: string }>() }
      }),
    )
    for (const { user, body } of answers) expect(body.user).toBe(user)
    await call(`${ctx.a}/items/private-data`)
    for (const headers of [{ authorization: 'Bearer eve' }, { cookie: 'sid=eve' }] as Record<
      string,
      string
    >[]) {
      const res = await call(`${ctx.b}/items/private-data`, { headers })
      expect(res.xCache).not.toBe('HIT')
    }
  })

  it('the Host port is keyed: a request naming another port never answers the site’s own', async () => {
    const host = (name: string) => call(`${ctx.a}/host`, { headers: { host: name } })
    const [hostname] = CONTRACT_HOST.split(':')
    const forged = await host(`${hostname}:6666`)
    const own = await call(`${ctx.a}/host`)
    const bare = await host(hostname!)
    const again = await call(`${ctx.a}/host`)
    expect([forged.json(), own.json(), bare.json()]).toEqual([
      { host: `${hostname}:6666`, calls: 1 },
      { host: CONTRACT_HOST, calls: 2 },
      { host: hostname, calls: 3 },
    ])
    expect([forged.xCache, own.xCache, bare.xCache, again.xCache]).toEqual(['MISS', 'MISS', 'MISS', 'HIT'])
    expect(again.bytes.equals(own.bytes)).toBe(true)
    if (ctx.mode === 'redis') {
      // Another replica of the same site answers from Redis.
      const other = await call(`${ctx.b}/host`)
      expect([other.xCache, other.bytes.equals(own.bytes)]).toEqual(['HIT', true])
    }
  })

  it('Set-Cookie responses are never stored', async () => {
    const one = await call(`${ctx.a}/session`)
    const two = await call(`${ctx.a}/session`)
    expect([one.xCache, two.xCache].includes('HIT')).toBe(false)
    expect(two.headers.get('set-cookie')).toMatch(/sid=/)
    expect(one.json<{ sid: string }>().sid).not.toBe(two.json<{ sid: string }>().sid)
    expect(two.json()).toMatchObject({ calls: 2 })
  })

  it('Cache-Control: private responses are never stored', async () => {
    await call(`${ctx.a}/private`)
    const two = await call(`${ctx.a}/private`)
    expect(two.xCache).not.toBe('HIT')
    expect(two.headers.get('cache-control')).toMatch(/private/)
    expect(two.json()).toEqual({ calls: 2 })
  })

  it('Cache-Control: no-store and Vary: * responses are never stored', async () => {
    for (const [path, header, expected] of [
      ['/no-store', 'cache-control', /no-store/],
      ['/vary-star', 'vary', /\*/],
    ] as const) {
      await call(`${ctx.a}${path}`)
      const two = await call(`${ctx.a}${path}`)
      expect(two.xCache).not.toBe('HIT')
      expect(two.headers.get(header)).toMatch(expected)
      expect(two.json()).toEqual({ calls: 2 })
    }
  })

  it('Vary: Accept-Language is honoured', async () => {
    const lang = (value: string) => call(`${ctx.a}/lang`, { headers: { 'accept-language': value } })
    const en = await lang('en')
    const fr = await lang('fr')
    const en2 = await lang('en')
    const fr2 = await lang('fr')
    expect([en.xCache, fr.xCache, en2.xCache, fr2.xCache]).toEqual(['MISS', 'MISS', 'HIT', 'HIT'])
    expect([en2.json().lang, fr2.json().lang]).toEqual(['en', 'fr'])
    expect(en2.headers.get('vary')).toMatch(/accept-language/i)
    expect((await handlerCalls(ctx.a)).lang).toBe(2)
  })

  it('an aborted response is not stored', async () => {
    await call(`${ctx.a}/slow?case=abort`, { signal: AbortSignal.timeout(60) }).catch(() => undefined)
    await sleep(450)
    const next = await call(`${ctx.a}/slow?case=abort`)
    // A fresh handler run answered (the aborted one may or may not have run, never stored).
    expect(next.xCache).toBe('MISS')
    expect(next.json<{ calls: number }>().calls).toBe((await handlerCalls(ctx.a)).slow)
  })

  it('an oversized response passes through untouched and is not stored', async () => {
    const id = 'x'.repeat(6000)
    const one = await call(`${ctx.a}/items/${id}`)
    const two = await call(`${ctx.a}/items/${id}`)
    expect([one.status, one.json().id, two.xCache]).toEqual([200, id, 'MISS'])
    expect(await totalCalls([ctx.a], 'items')).toBe(2)
  })
}
