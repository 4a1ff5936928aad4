import { findFreePort, PATIENT_REMOTE, startPrivateRedis, useRedis } from '@cache/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Cache } from './cache.js'
import { createCache } from './create-cache.js'
import { errors, isCacheError } from './errors.js'
import { RedisStore } from './stores/redis/redis-store.js'

const redis = useRedis()
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

function cacheOn(url: string, namespace = 'ready'): Cache {
  const cache = createCache({
    namespace,
    store: new RedisStore({ url, keyPrefix: redis.prefix }),
    remote: PATIENT_REMOTE,
  })
  cleanups.push(() => cache.close())
  return cache
}

/** The rejection of `promise`, which must reject. */
async function rejection(promise: Promise<unknown>): Promise<Error & { cause?: unknown }> {
  try {
    await promise
  } catch (error) {
    return error as Error & { cause?: unknown }
  }
  throw new Error('expected a rejection')
}

describe('cache.ready()', () => {
  it('resolves once Redis is connected and the bus subscribed: an invalidation reaches the other process', async () => {
    const a = cacheOn(redis.url)
    const b = cacheOn(redis.url)
    await Promise.all([a.ready(), b.ready()])
    await b.set('k', 'old')
    expect(await b.get('k')).toBe('old') // in b's L1 now
    await a.delete('k')
    const end = Date.now() + 10_000
    while ((await b.get('k')) !== undefined) {
      if (Date.now() > end) throw new Error('the invalidation never reached b')
      await new Promise((r) => setTimeout(r, 20))
    }
  })

  it('rejects with the refused connection as its cause (nothing listens on the port)', async () => {
    const port = await findFreePort()
    const cache = cacheOn(`redis://127.0.0.1:${port}`)
    const error = await rejection(cache.ready({ timeout: 500 }))
    expect(isCacheError(error, errors.ERR_CACHE_TIMEOUT)).toBe(true)
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
    expect(error.message).toContain('ECONNREFUSED')
    expect(error.message).toContain(`127.0.0.1:${port}`)
  })

  it('rejects with WRONGPASS as its cause, and the message never shows the password', async () => {
    const server = await startPrivateRedis({ config: { requirepass: 'right' } })
    cleanups.push(() => server.stop())
    const cache = cacheOn(`redis://:wrong-secret@127.0.0.1:${server.port}`)
    const error = await rejection(cache.ready({ timeout: 1000 }))
    expect((error.cause as Error).message).toMatch(/^WRONGPASS/)
    expect(error.message).not.toContain('wrong-secret')
  })

  it('RedisStore.ready() keeps the cause too', async () => {
    const port = await findFreePort()
    const store = new RedisStore({ url: `redis://127.0.0.1:${port}` })
    cleanups.push(() => store.close())
    const error = await rejection(store.ready(400))
    expect(isCacheError(error, errors.ERR_CACHE_TIMEOUT)).toBe(true)
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ECONNREFUSED')
  })

  it('resolves once a Redis that was down at start comes up', async () => {
    const port = await findFreePort()
    const cache = cacheOn(`redis://127.0.0.1:${port}`)
    const ready = cache.ready({ timeout: 20_000 })
    const server = await startPrivateRedis({ port })
    cleanups.push(() => server.stop())
    await ready
  })
})
