import { createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'
import { call, PATIENT_REMOTE, useRedis } from '@cache/test-utils'
import { afterAll, describe, expect, it } from 'vitest'
import { type Proxy as CachingProxy, createProxy } from './create-proxy.js'
import { listen, startUpstream, type TestUpstream } from './test-upstream.js'

const redis = useRedis()

describe('several proxy instances sharing one Redis', () => {
  const closers: (CachingProxy | TestUpstream)[] = []
  afterAll(async () => {
    for (const c of closers.reverse()) await c.close()
  })

  it('a response stored by one instance is a hit on the other, and an unsafe method invalidates both', async () => {
    const upstream = await startUpstream((req, res, n) => {
      if (req.method === 'PUT') {
        res.writeHead(204)
        res.end()
        return
      }
      res.writeHead(200, { 'cache-control': 'max-age=60' })
      res.end(`version ${n}`)
    })
    closers.push(upstream)
    const bases: string[] = []
    for (let i = 0; i < 2; i++) {
      const cache = createCache({
        namespace: 'proxy',
        store: new RedisStore({ url: redis.url, keyPrefix: redis.prefix }),
        remote: PATIENT_REMOTE,
      })
      const proxy = createProxy({ upstream: upstream.url, cache })
      closers.push(proxy)
      bases.push(await listen(proxy.server))
    }
    // The key includes the Host: `call` gives both instances one site name, as behind a load balancer.
    const get = (base: string) => call(`${base}/shared`)
    const first = await get(bases[0]!)
    expect([first.xCache, first.bytes.toString()]).toEqual(['MISS', 'version 1'])
    const other = await get(bases[1]!)
    expect([other.xCache, other.bytes.toString()]).toEqual(['HIT', 'version 1'])
    const put = await call(`${bases[1]}/shared`, { method: 'PUT' })
    expect(put.status).toBe(204)
    // The invalidation reaches the first instance's memory through the bus: wait for it.
    await expect
      .poll(async () => (await get(bases[0]!)).xCache, { timeout: 30_000, interval: 100 })
      .toBe('MISS')
  })
})
