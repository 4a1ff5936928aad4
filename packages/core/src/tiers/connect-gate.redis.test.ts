import { findFreePort, startPrivateRedis, useRedis } from '@cache/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Cache } from '../cache.js'
import { createCache } from '../create-cache.js'
import { errors, isCacheError } from '../errors.js'
import { RedisStore } from '../stores/redis/redis-store.js'

const redis = useRedis()
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function cacheOn(url: string, remote: { connectTimeout?: number } = {}): { cache: Cache; errors: Error[] } {
  const cache = createCache({
    namespace: 'gate',
    memory: false,
    store: new RedisStore({ url, keyPrefix: redis.prefix }),
    remote,
  })
  cleanups.push(() => cache.close())
  const seen: Error[] = []
  cache.on('error', ({ error }) => seen.push(error))
  return { cache, errors: seen }
}

describe('calls made right after createCache, before the first connection', () => {
  it('a set is written and readable from a second instance', async () => {
    const a = cacheOn(redis.url)
    await a.cache.set('k', { v: 1 })
    await a.cache.setMany([{ key: 'm', value: 'many' }])
    const b = cacheOn(redis.url)
    expect(await b.cache.get('k')).toEqual({ v: 1 })
    const c = cacheOn(redis.url)
    expect(await c.cache.getMany(['m', 'k'])).toEqual(['many', { v: 1 }])
    expect([...a.errors, ...b.errors, ...c.errors]).toEqual([])
    expect(await redis.client().exists(redis.key('gate:k'))).toBe(1)
  })

  it('wait while the connection is pending (server frozen), then run once it answers', async () => {
    const server = await startPrivateRedis()
    cleanups.push(() => server.stop())
    server.sigstop() // the kernel accepts the connection; nothing answers the ready check
    const { cache, errors: seen } = cacheOn(server.url, { connectTimeout: 10_000 })
    const written = cache.set('k', 'v')
    server.sigcont()
    await written
    expect(seen).toEqual([])
    expect(await server.client().exists(`${redis.prefix}gate:k`)).toBe(1)
  })

  it('wait at most connectTimeout, and a call that gave up is not sent once connected', async () => {
    const server = await startPrivateRedis()
    cleanups.push(() => server.stop())
    server.sigstop()
    const { cache, errors: seen } = cacheOn(server.url, { connectTimeout: 300 })
    const started = performance.now()
    expect(await cache.getOrSet('late', () => 'loaded')).toBe('loaded')
    // The read gave up and spent the request's Redis budget; the load, begun without reaching
    // Redis, is not written there.
    expect(performance.now() - started).toBeGreaterThanOrEqual(290)
    expect(seen.length).toBeGreaterThanOrEqual(1)
    expect(seen.every((e) => isCacheError(e, errors.ERR_CACHE_TIMEOUT))).toBe(true)
    server.sigcont()
    await cache.ready({ timeout: 10_000 })
    await cache.set('after', 'v')
    const client = server.client()
    expect(await client.exists(`${redis.prefix}gate:after`)).toBe(1)
    expect(await client.exists(`${redis.prefix}gate:late`)).toBe(0)
  })

  it('a Redis that refuses fails the first calls at once, with the cause', async () => {
    const port = await findFreePort()
    const { cache, errors: seen } = cacheOn(`redis://127.0.0.1:${port}`, { connectTimeout: 10_000 })
    const started = performance.now()
    expect(await cache.getOrSet('k', () => 'loaded')).toBe('loaded')
    expect(performance.now() - started).toBeLessThan(5000)
    expect((seen[0]?.cause as NodeJS.ErrnoException | undefined)?.code).toBe('ECONNREFUSED')
  })
})
