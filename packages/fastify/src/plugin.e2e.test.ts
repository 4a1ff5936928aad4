import { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { appWith, sleep } from './test-app.js'

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

/** Starts `app` on 127.0.0.1 (a free port) and returns its base URL. */
async function listen(a: FastifyInstance): Promise<string> {
  app = a
  return a.listen({ port: 0, host: '127.0.0.1' })
}

describe('responseCachePlugin (Fastify glue, real sockets)', () => {
  it('does not store a response whose client went away before the handler finished', async () => {
    let calls = 0
    let started!: () => void
    const handlerStarted = new Promise<void>((r) => {
      started = r
    })
    const a = await appWith()
    a.get('/slow', async () => {
      calls++
      started()
      await sleep(150)
      return { calls }
    })
    const url = await listen(a)
    // Abort once the handler is running (a fixed client timeout could fire before the request
    // even reached a busy server).
    const abort = new AbortController()
    const gone = fetch(`${url}/slow`, { signal: abort.signal }).catch(() => undefined)
    await handlerStarted
    abort.abort()
    await gone
    await sleep(250)
    const next = await fetch(`${url}/slow`)
    expect([next.headers.get('x-cache'), await next.json()]).toEqual(['MISS', { calls: 2 }])
    expect((await fetch(`${url}/slow`)).headers.get('x-cache')).toBe('HIT')
  })

  it('hands an aborted leader’s flight to a waiting request, which stores its own response', async () => {
    let calls = 0
    let started!: () => void
    const leaderStarted = new Promise<void>((r) => {
      started = r
    })
    const a = await appWith()
    a.get('/slow', async () => {
      calls++
      started()
      await sleep(100)
      return { calls }
    })
    const url = await listen(a)
    const abort = new AbortController()
    const leader = fetch(`${url}/slow`, { signal: abort.signal }).catch(() => undefined)
    await leaderStarted
    const followerResponse = fetch(`${url}/slow`)
    await sleep(20)
    abort.abort()
    const follower = await followerResponse
    await leader
    expect(await follower.json()).toEqual({ calls: 2 })
    expect((await fetch(`${url}/slow`)).headers.get('x-cache')).toBe('HIT')
  })

  it('streams a stream payload to the client as it comes and stores nothing', async () => {
    let calls = 0
    const a = await appWith()
    a.get('/stream', async (_req, reply) => {
      calls++
      async function* parts() {
        yield 'part 1,'
        await sleep(20)
        yield 'part 2'
      }
      return reply.type('text/plain').send(Readable.from(parts()))
    })
    const url = await listen(a)
    const first = await fetch(`${url}/stream`)
    expect([
      first.headers.get('x-cache'),
      first.headers.get('transfer-encoding'),
      await first.text(),
    ]).toEqual(['MISS', 'chunked', 'part 1,part 2'])
    await (await fetch(`${url}/stream`)).text()
    expect(calls).toBe(2)
  })

  it('does not store (or hang on) a reply the handler hijacked and wrote itself', async () => {
    let calls = 0
    const a = await appWith()
    a.get('/raw', (_req, reply) => {
      calls++
      reply.hijack()
      reply.raw.writeHead(200, { 'content-type': 'text/plain' })
      reply.raw.end('raw')
    })
    const url = await listen(a)
    expect(await (await fetch(`${url}/raw`)).text()).toBe('raw')
    expect(await (await fetch(`${url}/raw`)).text()).toBe('raw')
    expect(calls).toBe(2)
  })

  it('replays a stored response byte for byte over the wire, with the stored status and content type', async () => {
    let calls = 0
    const a = await appWith({ statuses: [200, 203] })
    a.get('/csv', async (_req, reply) => {
      calls++
      return reply.code(203).type('text/csv').header('x-custom', 'yes').send(Buffer.from('a,b\n1,2\n'))
    })
    const url = await listen(a)
    await fetch(`${url}/csv`)
    const hit = await fetch(`${url}/csv`)
    expect([
      hit.status,
      hit.headers.get('content-type'),
      hit.headers.get('x-custom'),
      hit.headers.get('x-cache'),
      await hit.text(),
    ]).toEqual([203, 'text/csv', 'yes', 'HIT', 'a,b\n1,2\n'])
    expect(calls).toBe(1)
  })
})
