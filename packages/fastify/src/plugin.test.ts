import { Readable } from 'node:stream'
import { deferred, until } from '@cache/test-utils'
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify'
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest'
import type { HttpCache, RouteCacheOptions } from './index.js'
import { appWith, sleep } from './test-app.js'

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

async function start(...args: Parameters<typeof appWith>): Promise<FastifyInstance> {
  app = await appWith(...args)
  return app
}

const INVALID = expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' })

describe('responseCachePlugin (Fastify glue, inject)', () => {
  it('does not store headers an earlier hook set (a request id); the handler’s are replayed', async () => {
    let n = 0
    const a = await start()
    a.addHook('onRequest', async (_req, reply) => {
      reply.header('x-request-id', `req-${++n}`)
    })
    a.get('/x', async (_req, reply) => {
      reply.header('x-item', 'yes')
      return { ok: true }
    })
    const miss = await a.inject('/x')
    const hit = await a.inject('/x')
    expect([miss.headers['x-cache'], miss.headers['x-request-id']]).toEqual(['MISS', 'req-1'])
    expect([hit.headers['x-cache'], hit.headers['x-request-id']]).toEqual(['HIT', 'req-2'])
    expect(hit.headers['x-item']).toBe('yes')
  })

  it('MISS then HIT: replays status, content type and bytes with x-cache, age, etag; the handler runs once', async () => {
    let calls = 0
    const a = await start()
    a.get('/x', async () => ({ n: ++calls, text: 'héllo' }))
    const miss = await a.inject('/x')
    const hit = await a.inject('/x')
    expect([miss.headers['x-cache'], hit.headers['x-cache']]).toEqual(['MISS', 'HIT'])
    expect(hit.rawPayload.equals(miss.rawPayload)).toBe(true)
    expect([hit.statusCode, hit.headers['content-type']]).toEqual([200, miss.headers['content-type']])
    expect(hit.headers.etag).toBe(miss.headers.etag)
    expect(hit.headers.age).toBe('0')
    expect(hit.headers['content-length']).toBe(String(miss.rawPayload.length))
    expect(calls).toBe(1)
  })

  it('answers If-None-Match with 304 from the cache, and hides conditionals from the handler on a miss', async () => {
    const seen: unknown[] = []
    const a = await start()
    a.get('/x', async (req) => {
      seen.push(req.headers['if-none-match'])
      return { same: true }
    })
    const etag = (await a.inject('/x?a')).headers.etag as string
    const conditionalMiss = await a.inject({ url: '/x?b', headers: { 'if-none-match': etag } })
    expect([conditionalMiss.statusCode, conditionalMiss.headers['x-cache']]).toEqual([200, 'MISS'])
    const conditionalHit = await a.inject({ url: '/x?b', headers: { 'if-none-match': etag } })
    expect([conditionalHit.statusCode, conditionalHit.headers['x-cache'], conditionalHit.body]).toEqual([
      304,
      'HIT',
      '',
    ])
    expect(seen).toEqual([undefined, undefined])
  })

  it('validates plugin and route options once, at registration (ERR_CACHE_INVALID_OPTION)', async () => {
    await expect(appWith({ ttl: 'soon' })).rejects.toThrow(INVALID)
    await expect(appWith({ cache: undefined })).rejects.toThrow(INVALID)
    await expect(appWith({ global: 'yes' as unknown as boolean })).rejects.toThrow(INVALID)
    const a = await start()
    expect(() => a.get('/bad', { config: { responseCache: { ttl: -1 } } }, async () => 'x')).toThrow(INVALID)
    expect(() => a.get('/typo', { config: { responseCache: { tll: '1m' } } }, async () => 'x')).toThrow(
      INVALID,
    )
    // Routes of plugins registered later are checked when they load.
    a.register(async (child) => {
      child.get('/late', { config: { responseCache: { methods: ['PUT' as 'GET'] } } }, async () => 'x')
    })
    await expect(a.ready()).rejects.toThrow(INVALID)
  })

  it('merges route options over the defaults; false disables a route; global: false caches opted-in routes only', async () => {
    let calls = 0
    const a = await start({ ttl: '1m', global: false })
    a.get('/plain', async () => ({ n: ++calls }))
    a.get('/opted', { config: { responseCache: {} } }, async () => ({ n: ++calls }))
    await a.inject('/plain')
    const plain = await a.inject('/plain')
    await a.inject('/opted')
    const opted = await a.inject('/opted')
    expect([plain.headers['x-cache'], plain.json()]).toEqual([undefined, { n: 2 }])
    expect([opted.headers['x-cache'], opted.json()]).toEqual(['HIT', { n: 3 }])

    const b = await appWith()
    b.get('/off', { config: { responseCache: false } }, async () => ({ n: ++calls }))
    const off = await b.inject('/off')
    expect(off.headers['x-cache']).toBeUndefined()
    await b.close()
  })

  it('decorates app.responseCache: tags from the request, invalidate({ tags }) and invalidate({ paths })', async () => {
    let calls = 0
    const a = await start()
    expectTypeOf(a.responseCache).toEqualTypeOf<HttpCache<FastifyRequest>>()
    expectTypeOf<FastifyContextConfig['responseCache']>().toEqualTypeOf<
      RouteCacheOptions<FastifyRequest> | false | undefined
    >()
    a.get(
      '/items/:id',
      { config: { responseCache: { tags: (req) => [`item:${(req.params as { id: string }).id}`] } } },
      async (req) => ({ id: (req.params as { id: string }).id, calls: ++calls }),
    )
    const status = async (url: string) => (await a.inject(url)).headers['x-cache']
    await a.inject('/items/1')
    await a.inject('/items/2')
    expect(await status('/items/1')).toBe('HIT')
    await a.responseCache.invalidate({ tags: ['item:1'] })
    expect([await status('/items/1'), await status('/items/2')]).toEqual(['MISS', 'HIT'])
    await a.inject('/items/2?v=1')
    await a.responseCache.invalidate({ paths: ['/items/2'] })
    expect([await status('/items/2'), await status('/items/2?v=1'), await status('/items/1')]).toEqual([
      'MISS',
      'MISS',
      'HIT',
    ])
  })

  it('passes a stream payload through untouched and does not store it', async () => {
    let calls = 0
    const a = await start()
    a.get('/stream', async (_req, reply) => {
      calls++
      reply.type('text/plain')
      return Readable.from(['part 1,', 'part 2'])
    })
    const first = await a.inject('/stream')
    expect([first.body, first.headers['x-cache']]).toEqual(['part 1,part 2', 'MISS'])
    expect((await a.inject('/stream')).body).toBe('part 1,part 2')
    expect(calls).toBe(2)
  })

  it('passes a body over maxEntryBytes through untouched and does not store it (string and Buffer)', async () => {
    let calls = 0
    const big = 'é'.repeat(3000) // 6000 bytes, 3000 UTF-16 code units
    const a = await start({ maxEntryBytes: '4kb' })
    a.get('/big', async () => {
      calls++
      return big
    })
    a.get('/buf', async () => {
      calls++
      return Buffer.alloc(5000, 1)
    })
    for (const url of ['/big', '/big', '/buf', '/buf']) {
      const res = await a.inject(url)
      expect([res.headers['x-cache'], res.rawPayload.length]).toEqual(['MISS', url === '/big' ? 6000 : 5000])
    }
    expect(calls).toBe(4)
  })

  it.each([
    ['Set-Cookie', 'set-cookie', 'sid=abc; Path=/'],
    ['no-store', 'cache-control', 'no-store'],
    ['private', 'cache-control', 'private, max-age=60'],
    ['Vary: *', 'vary', '*'],
  ])('never stores a response with %s, and sends the handler its own headers', async (_n, name, value) => {
    let calls = 0
    const a = await start()
    a.get('/p', async (_req, reply) => {
      reply.header(name, value)
      return { calls: ++calls }
    })
    const first = await a.inject('/p')
    const second = await a.inject('/p')
    expect(second.json()).toEqual({ calls: 2 })
    expect([first.headers['x-cache'], first.headers[name]]).toEqual(['MISS', value])
  })

  it('HEAD never poisons GET, and a HEAD hit carries the stored length without a body', async () => {
    let calls = 0
    const a = await start()
    a.get('/h', async () => ({ calls: ++calls }))
    expect((await a.inject({ method: 'HEAD', url: '/h' })).headers['x-cache']).toBe('MISS')
    expect((await a.inject('/h')).json()).toEqual({ calls: 2 })
    const head = await a.inject({ method: 'HEAD', url: '/h' })
    expect([head.headers['x-cache'], head.headers['content-length'], head.body]).toEqual([
      'HIT',
      String(JSON.stringify({ calls: 2 }).length),
      '',
    ])
  })

  it('serves stale when the handler throws, without the error handler headers; hooks before it keep theirs', async () => {
    let calls = 0
    const a = await start({ ttl: 50, grace: '10s' })
    a.addHook('onRequest', async (_req, reply) => {
      reply.header('x-request-hook', 'kept')
    })
    a.setErrorHandler((error, _req, reply) => {
      reply
        .code(500)
        .header('x-error', '1')
        .send({ error: (error as Error).message })
    })
    a.get('/flaky', async () => {
      if (++calls > 1) throw new Error('down')
      return { calls }
    })
    await a.inject('/flaky')
    // Expiry is time passing: any wait longer than the TTL, however busy the machine.
    await sleep(70)
    const stale = await a.inject('/flaky')
    expect([stale.statusCode, stale.headers['x-cache'], stale.headers['x-error'], stale.json()]).toEqual([
      200,
      'STALE',
      undefined,
      { calls: 1 },
    ])
    expect(stale.headers['x-request-hook']).toBe('kept')
  })

  it('sends a throwing route callback to the error handler', async () => {
    const a = await start()
    const tags = (): string[] => {
      throw new Error('bad tags')
    }
    a.get('/t', { config: { responseCache: { tags } } }, async () => ({}))
    const res = await a.inject('/t')
    expect([res.statusCode, res.json().message]).toEqual([500, 'bad tags'])
  })

  it('keys the forwarded host only when Fastify trusts the proxy', async () => {
    for (const trustProxy of [true, false]) {
      let calls = 0
      const a = await appWith({}, { trustProxy })
      a.get('/who', async (req) => ({ host: req.hostname, calls: ++calls }))
      const who = async (host: string) =>
        (await a.inject({ url: '/who', headers: { 'x-forwarded-host': host } })).json()
      const answers = [await who('a.test'), await who('b.test'), await who('a.test')]
      expect(answers.map((b) => b.calls)).toEqual(trustProxy ? [1, 2, 1] : [1, 1, 1])
      if (trustProxy) expect(answers.map((b) => b.host)).toEqual(['a.test', 'b.test', 'a.test'])
      await a.close()
    }
  })

  it('runs the app’s earlier preHandlers (auth) before answering from the cache', async () => {
    let calls = 0
    const a = await start()
    a.get(
      '/guarded',
      {
        preHandler: async (req, reply) => {
          if (req.query && (req.query as { key?: string }).key === undefined) return reply.code(401).send()
        },
      },
      async () => ({ calls: ++calls }),
    )
    expect((await a.inject('/guarded?key=1')).headers['x-cache']).toBe('MISS')
    expect((await a.inject('/guarded?key=1')).headers['x-cache']).toBe('HIT')
    const denied = await a.inject('/guarded')
    expect([denied.statusCode, denied.headers['x-cache']]).toEqual([401, undefined])
  })

  it('coalesces concurrent identical misses into one handler run', async () => {
    let calls = 0
    let arrived = 0
    const gate = deferred()
    const a = await start()
    // The route's own preHandler runs right before the cache's (the last one).
    const count = async () => {
      arrived++
    }
    a.get('/slow', { preHandler: count }, async () => {
      calls++
      // The leader answers once every request has reached the cache (and joined its flight).
      await gate.promise
      return { calls }
    })
    const all = Promise.all(Array.from({ length: 20 }, () => a.inject('/slow')))
    await until(() => arrived === 20, { message: 'not every request reached the app' })
    gate.resolve()
    expect(new Set((await all).map((r) => r.body))).toEqual(new Set(['{"calls":1}']))
    expect(calls).toBe(1)
  })

  it('caches opted-in POST by canonical body; a successful PUT invalidates its path (BYPASS)', async () => {
    let calls = 0
    const a = await start()
    a.post('/search', { config: { responseCache: { methods: ['POST'] } } }, async (req) => ({
      q: req.body,
      calls: ++calls,
    }))
    a.get('/doc', async () => ({ calls: ++calls }))
    a.put('/doc', async () => ({ ok: true }))
    await a.inject('/doc')
    expect((await a.inject('/doc')).headers['x-cache']).toBe('HIT')
    expect((await a.inject({ method: 'PUT', url: '/doc' })).headers['x-cache']).toBe('BYPASS')
    expect((await a.inject('/doc')).headers['x-cache']).toBe('MISS')
    const post = (payload: string) =>
      a.inject({ method: 'POST', url: '/search', headers: { 'content-type': 'application/json' }, payload })
    const results = [
      await post('{"a":1,"b":2}'),
      await post('{ "b": 2, "a": 1 }'),
      await post('{"a":1,"b":3}'),
    ]
    expect(results.map((r) => r.headers['x-cache'])).toEqual(['MISS', 'HIT', 'MISS'])
  })

  it('per-user caching: varyBy.user keys by user; credentials on a shared route bypass', async () => {
    let calls = 0
    const a = await start()
    const user = (req: FastifyRequest) => req.headers.authorization?.slice(7)
    a.get('/me', { config: { responseCache: { varyBy: { user } } } }, async (req) => ({
      user: user(req),
      calls: ++calls,
    }))
    a.get('/shared', async () => ({ calls: ++calls }))
    const me = async (who: string) =>
      (await a.inject({ url: '/me', headers: { authorization: `Bearer ${who}` } })).json()
    expect([await me('alice'), await me('bob'), await me('alice')].map((b) => b.user)).toEqual([
      'alice',
      'bob',
      'alice',
    ])
    expect(calls).toBe(2)
    await a.inject('/shared')
    const withAuth = await a.inject({ url: '/shared', headers: { authorization: 'Bearer eve' } })
    expect(withAuth.headers['x-cache']).toBe('BYPASS')
  })

  it('caches routes of plugins registered after it, with their prefix in the key', async () => {
    let calls = 0
    const a = await start()
    a.register(
      async (child) => {
        child.get('/x', async () => ({ calls: ++calls }))
      },
      { prefix: '/v1' },
    )
    a.get('/x', async () => ({ root: true }))
    await a.inject('/v1/x')
    expect((await a.inject('/v1/x')).headers['x-cache']).toBe('HIT')
    expect((await a.inject('/x')).json()).toEqual({ root: true })
  })
})
