import { createCache } from '@cache/core'
import { unreachableStore } from '@cache/test-utils'
import Fastify, { type FastifyInstance } from 'fastify'
import { afterEach, describe, expect, it } from 'vitest'
import { responseCachePlugin } from './index.js'

const CLOSED = expect.objectContaining({ code: 'ERR_CACHE_CLOSED' })

let app: FastifyInstance | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
})

/** A Fastify app whose warnings are collected in `warnings`. */
function appLogging(warnings: string[]): FastifyInstance {
  const stream = { write: (line: string) => warnings.push(JSON.parse(line).msg) }
  app = Fastify({ logger: { level: 'warn', stream } })
  return app
}

describe('responseCachePlugin lifecycle', () => {
  it('closes the cache it created on app.close(); leaves a Cache you passed open', async () => {
    const created = Fastify()
    await created.register(responseCachePlugin, { cache: { namespace: 'made' } })
    const made = created.responseCache.cache
    await created.close()
    await expect(made.get('k')).rejects.toThrow(CLOSED)

    const yours = createCache()
    const passed = Fastify()
    await passed.register(responseCachePlugin, { cache: yours })
    await passed.close()
    await expect(yours.get('k')).resolves.toBeUndefined()
  })

  it('closes a Cache you passed under closeCache: true, and keeps one it created under closeCache: false', async () => {
    const yours = createCache()
    const a = Fastify()
    await a.register(responseCachePlugin, { cache: yours, closeCache: true })
    await a.close()
    await expect(yours.get('k')).rejects.toThrow(CLOSED)

    const b = Fastify()
    await b.register(responseCachePlugin, { cache: {}, closeCache: false })
    const kept = b.responseCache.cache
    await b.close()
    await expect(kept.get('k')).resolves.toBeUndefined()
  })

  it('starts with a cache that is not ready, warning once, and serves from the handlers', async () => {
    const warnings: string[] = []
    const a = appLogging(warnings)
    await a.register(responseCachePlugin, { cache: { store: unreachableStore() } })
    a.get('/x', async () => ({ ok: true }))
    await a.ready()
    expect(warnings).toEqual([
      expect.stringMatching(/^@cache\/fastify: The cache is not ready \(.+\): serving from memory/),
    ])
    const res = await a.inject('/x')
    expect([res.statusCode, res.json()]).toEqual([200, { ok: true }])
  })

  it('fails the start under requireReady, with the cause', async () => {
    const a = Fastify()
    await expect(
      a.register(responseCachePlugin, { cache: { store: unreachableStore() }, requireReady: true }),
    ).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } })
  })
})
