import { PATIENT_REMOTE, startPrivateRedis } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { createCache } from './create-cache.js'
import { RedisStore } from './stores/redis/redis-store.js'

async function until(check: () => boolean, what: string, ms = 15_000) {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

describe('cache.health() on Redis', () => {
  it('reports the connection, breaker, bus and cause, through an outage and back', async () => {
    const server = await startPrivateRedis({ config: { requirepass: 'pw' } })
    const cache = createCache({
      namespace: 'health',
      store: new RedisStore({ url: server.url }),
      // Patient per call (a busy machine must not abandon the setup write and leave a lastError);
      // the outage below fails fast anyway: the store's client has no offline queue.
      remote: { ...PATIENT_REMOTE, breakerThreshold: 2, breakerResetAfter: 60_000 },
      logger: false,
    })
    try {
      await cache.ready()
      await cache.set('k', 1)
      // The address carries no password.
      const up = {
        ok: true,
        store: 'redis',
        address: `redis://127.0.0.1:${server.port}`,
        connected: true,
        breaker: 'closed',
        bus: { connected: true },
      }
      expect(cache.health()).toEqual({
        ok: true,
        closed: false,
        tiers: { memory: { ok: true, entries: 1, bytes: expect.any(Number) }, remote: up },
      })

      await server.kill()
      for (let i = 0; i < 3; i++) await cache.get(`miss${i}`)
      await until(() => cache.health().tiers.remote?.lastError !== undefined, 'the cause')
      const down = cache.health()
      expect(down.ok).toBe(false)
      expect(down.tiers.remote).toMatchObject({
        ok: false,
        connected: false,
        breaker: 'open',
        bus: { connected: false },
        lastError: expect.stringContaining('ECONNREFUSED'),
      })
      expect(JSON.stringify(down)).not.toContain(':pw@')

      // Back: the reconnection closes the breaker without waiting for traffic to probe it.
      await server.restart()
      await until(() => cache.health().ok, 'health back to ok')
      expect(cache.health().tiers.remote).toEqual(up)
    } finally {
      await cache.close()
      await server.stop()
    }
    expect(cache.health()).toMatchObject({ ok: false, closed: true })
  })
})
