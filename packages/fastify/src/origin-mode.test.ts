import type { FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { appWith } from './test-app.js'

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

describe("freshness: 'origin' through Fastify", () => {
  it('revalidates a no-cache response: the handler answers the validator with 304, the client gets the stored body', async () => {
    app = await appWith({ freshness: 'origin' })
    const seen: (string | undefined)[] = []
    app.get('/x', (request, reply) => {
      const validator = request.headers['if-none-match']
      seen.push(validator)
      reply.header('cache-control', 'no-cache').header('etag', '"v1"')
      if (validator === '"v1"') return reply.code(304).send()
      return reply.type('text/plain').send('the body')
    })
    await app.inject({ url: '/x' })
    const again = await app.inject({ url: '/x' })
    expect([again.statusCode, again.body, again.headers['x-cache']]).toEqual([200, 'the body', 'HIT'])
    expect(again.headers['cache-status']).toMatch(/^cache; fwd=stale; fwd-status=304; ttl=(0|-1)$/)
    expect(seen).toEqual([undefined, '"v1"'])
  })

  it('obeys the handler’s s-maxage', async () => {
    app = await appWith({ freshness: 'origin' })
    let calls = 0
    app.get('/y', (_request, reply) => reply.header('cache-control', 's-maxage=60').send(`call ${++calls}`))
    await app.inject({ url: '/y' })
    const hit = await app.inject({ url: '/y' })
    expect([hit.headers['x-cache'], hit.body, calls]).toEqual(['HIT', 'call 1', 1])
  })
})
