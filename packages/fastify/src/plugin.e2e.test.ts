import { Readable } from 'node:stream'
import { abandonRequest, deferred, until } from '@cache/test-utils'
import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { appWith } from './test-app.js'

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
    const started = deferred()
    const gate = deferred()
    let clientGone = false
    let finished = false
    const a = await appWith()
    a.get('/slow', async (_req, reply) => {
      calls++
      if (calls > 1) return { calls }
      reply.raw.once('close', () => (clientGone = true))
      started.resolve()
      await gate.promise
      finished = true
      return { calls }
    })
    const url = await listen(a)
    // The client leaves while its handler runs; the handler then answers, to nobody.
    await abandonRequest(`${url}/slow`, started.promise)
    await until(() => clientGone, { message: 'the server did not see the client leave' })
    gate.resolve()
    await until(() => finished, { message: 'the first handler did not finish' })
    const next = await fetch(`${url}/slow`)
    expect([next.headers.get('x-cache'), await next.json()]).toEqual(['MISS', { calls: 2 }])
    expect((await fetch(`${url}/slow`)).headers.get('x-cache')).toBe('HIT')
  })

  it('does not store a response whose client went away before the cache was consulted', async () => {
    let calls = 0
    let requests = 0
    const arrived = deferred()
    const a = await appWith()
    // Runs before the cache's preHandler: the first client leaves while its request waits here.
    const firstWaitsForClientToLeave = async (_req: unknown, reply: { raw: NodeJS.EventEmitter }) => {
      if (++requests > 1) return
      const closed = new Promise((resolve) => reply.raw.once('close', resolve))
      arrived.resolve()
      await closed
    }
    a.get('/queued', { onRequest: firstWaitsForClientToLeave }, async () => ({ calls: ++calls }))
    const url = await listen(a)
    await abandonRequest(`${url}/queued`, arrived.promise)
    await until(() => calls === 1, { message: 'the first handler did not run' })
    const next = await fetch(`${url}/queued`)
    expect([next.headers.get('x-cache'), await next.json()]).toEqual(['MISS', { calls: 2 }])
  })

  it('hands an aborted leader’s flight to a waiting request, which stores its own response', async () => {
    let calls = 0
    let arrived = 0
    const leaderStarted = deferred()
    const gate = deferred()
    let leaderGone = false
    const a = await appWith()
    // The route's own preHandler runs right before the cache's (the last one).
    const count = async () => {
      arrived++
    }
    a.get('/slow', { preHandler: count }, async (_req, reply) => {
      calls++
      if (calls > 1) return { calls }
      reply.raw.once('close', () => (leaderGone = true))
      leaderStarted.resolve()
      await gate.promise
      return { calls }
    })
    const url = await listen(a)
    const abort = new AbortController()
    const leader = fetch(`${url}/slow`, { signal: abort.signal }).catch(() => undefined)
    await leaderStarted.promise
    const followerResponse = fetch(`${url}/slow`)
    // The follower has reached the cache and waits on the leader's flight.
    await until(() => arrived === 2, { message: 'the follower did not reach the app' })
    abort.abort()
    await until(() => leaderGone, { message: 'the server did not see the leader leave' })
    const follower = await followerResponse
    gate.resolve()
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
        await new Promise((resolve) => setImmediate(resolve))
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
})
