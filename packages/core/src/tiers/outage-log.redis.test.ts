import { findFreePort, type RedisServerHandle, startPrivateRedis } from '@cache/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import type { Cache } from '../cache.js'
import { createCache } from '../create-cache.js'
import { RedisStore } from '../stores/redis/redis-store.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c()
})

async function until(check: () => boolean | Promise<boolean>, what: string, ms = 15_000) {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 25))
  }
}

function logged(url: string): { cache: Cache; store: RedisStore; warn: string[]; info: string[] } {
  const warn: string[] = []
  const info: string[] = []
  const store = new RedisStore({ url })
  const cache = createCache({
    namespace: 'outage',
    store,
    remote: { breakerResetAfter: 100 },
    logger: { warn: (m) => warn.push(m), info: (m) => info.push(m) },
  })
  cleanups.push(() => cache.close())
  return { cache, store, warn, info }
}

/** Sends traffic until the client has failed `n` more connection attempts (store and bus both retry meanwhile). */
async function trafficDuringAttempts(cache: Cache, store: RedisStore, n: number): Promise<void> {
  let attempts = 0
  const count = () => attempts++
  store.client.on('error', count)
  try {
    await until(async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => cache.getOrSet(`k${i}`, () => i)))
      return attempts >= n
    }, `${n} failed attempts`)
  } finally {
    store.client.off('error', count)
  }
}

describe('outage logging', () => {
  it('one warning per outage, with the cause and the URL without password, and one line when back', async () => {
    const server: RedisServerHandle = await startPrivateRedis({ config: { requirepass: 's3cret' } })
    cleanups.push(() => server.stop())
    const { cache, store, warn, info } = logged(server.url)
    await cache.ready()
    expect([warn, info]).toEqual([[], []])
    for (let outage = 1; outage <= 2; outage++) {
      await server.kill()
      await trafficDuringAttempts(cache, store, 3)
      expect(warn).toHaveLength(outage)
      expect(info).toHaveLength(outage - 1)
      const line = warn[outage - 1]!
      expect(line).toContain('ECONNREFUSED')
      expect(line).toContain(`redis://127.0.0.1:${server.port}`)
      expect(line).not.toContain('s3cret')
      await server.restart()
      await until(() => info.length === outage, 'the recovery line')
      expect(info[outage - 1]).toMatch(
        new RegExp(`redis://127\\.0\\.0\\.1:${server.port}.* is back after \\d+\\.\\d s`),
      )
    }
    await cache.set('k', 'after')
    expect(warn).toHaveLength(2)
    expect(info).toHaveLength(2)
  })

  it('a Redis down at start: one warning, whatever the traffic', async () => {
    const port = await findFreePort()
    const { cache, store, warn, info } = logged(`redis://127.0.0.1:${port}`)
    await trafficDuringAttempts(cache, store, 3)
    expect(warn).toHaveLength(1)
    expect(warn[0]).toContain(`ECONNREFUSED 127.0.0.1:${port}`)
    expect(info).toEqual([])
  })

  it('a wrong password: one warning with WRONGPASS, never the password', async () => {
    const server = await startPrivateRedis({ config: { requirepass: 'right' } })
    cleanups.push(() => server.stop())
    const { warn } = logged(`redis://:not-the-secret@127.0.0.1:${server.port}`)
    await until(() => warn.length > 0, 'a warning')
    expect(warn[0]).toContain('WRONGPASS')
    expect(warn[0]).not.toContain('not-the-secret')
  })
})
