import { Readable } from 'node:stream'
import { until } from '@cache/test-utils'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { appWith } from './test-app.js'

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
  it('validates global, and the routes of plugins registered later when they load', async () => {
    await expect(appWith({ global: 'yes' as unknown as boolean })).rejects.toThrow(INVALID)
    const a = await start()
    // A route's own options throw at `a.get()` (the conformance suite); routes of plugins registered later are checked when they load.
    a.register(async (child) => {
      child.get('/late', { config: { responseCache: { methods: ['PUT' as 'GET'] } } }, async () => 'x')
    })
    await expect(a.ready()).rejects.toThrow(INVALID)
  })

  it('global: false caches opted-in routes only', async () => {
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

  it('sends and stores a string byte-exact, and copies a Buffer the app reuses', async () => {
    const a = await start()
    const text = 'prédiction: 猫 ✓'
    a.get('/text', async (_req, reply) => reply.type('text/plain; charset=utf-8').send(text))
    const reused = Buffer.from('first answer')
    a.get('/buffer', async (_req, reply) => reply.type('application/octet-stream').send(reused))
    for (const expected of ['MISS', 'HIT']) {
      const res = await a.inject('/text')
      expect([res.body, res.headers['x-cache']]).toEqual([text, expected])
      expect(res.headers['content-length']).toBe(String(Buffer.byteLength(text)))
    }
    await a.inject('/buffer')
    reused.write('other answ') // the app reuses its buffer for another response
    const hit = await a.inject('/buffer')
    expect([hit.body, hit.headers['x-cache']]).toEqual(['first answer', 'HIT'])
  })

  it('keeps the headers hooks before the cache set on a STALE answer to a throwing handler', async () => {
    let calls = 0
    const a = await start({ ttl: 50, grace: '10s' })
    a.addHook('onRequest', async (_req, reply) => {
      reply.header('x-request-hook', 'kept')
    })
    a.get('/flaky', async () => {
      if (++calls > 1) throw new Error('down')
      return { calls }
    })
    await a.inject('/flaky')
    // Expiry is time passing: ask until the entry is no longer fresh.
    let stale = await a.inject('/flaky')
    await until(async () => (stale = await a.inject('/flaky')).headers['x-cache'] !== 'HIT', {
      message: 'the entry never expired',
    })
    expect([stale.headers['x-cache'], stale.headers['x-request-hook']]).toEqual(['STALE', 'kept'])
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
