import { startPrivateRedis, until as untilWithin } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { createCache } from '../create-cache.js'
import { RedisStore } from '../stores/redis/redis-store.js'

// Generous: a restart on a busy machine is slow; this bounds a wait, it is not a deadline under test.
const until = (check: () => Promise<boolean>) => untilWithin(check, { timeout: 30_000, interval: 50 })

describe('invalidation bus over Redis pub/sub', () => {
  it('carries invalidations, never values', async () => {
    const server = await startPrivateRedis()
    const spy = server.client()
    const seen: string[] = []
    await spy.subscribe('__bus:bus1')
    spy.on('message', (_channel: string, message: string) => seen.push(message))
    // A subscribed connection cannot ask PUBSUB: one more, closed with the server.
    const probe = server.client()
    const a = createCache({ namespace: 'bus1', store: new RedisStore({ url: server.url }) })
    try {
      await until(async () => (await probe.pubsub('NUMSUB', '__bus:bus1'))[1] === 2)
      await a.set('k', { secret: 'value-123' }, { tags: ['t'] })
      await a.delete('k')
      await a.invalidateTags(['t'])
      await until(async () => seen.length >= 3)
      expect(seen.join('\n')).not.toContain('value-123')
      expect(seen.map((m) => JSON.parse(m).message.kind)).toEqual(['keys', 'keys', 'tags'])
    } finally {
      await a.close()
      await server.stop()
    }
  })

  it('reconnects by itself after Redis restarts, and invalidations flow again', async () => {
    const server = await startPrivateRedis()
    const opts = { namespace: 'bus2', remote: { breakerResetAfter: 200 } } as const
    const a = createCache({ ...opts, store: new RedisStore({ url: server.url }) })
    const b = createCache({ ...opts, store: new RedisStore({ url: server.url }) })
    try {
      await Promise.all([a.ready(), b.ready()])
      await a.set('k', 'v1')
      expect(await b.get('k')).toBe('v1') // now in b's L1
      await server.restart()
      // After reconnection, a write in a must still drop b's L1 copy.
      await until(async () => {
        await a.set('k', 'v2')
        return (await b.get('k')) === 'v2'
      })
      await a.delete('k')
      await until(async () => (await b.get('k')) === undefined)
    } finally {
      await a.close()
      await b.close()
      await server.stop()
    }
  })
})
