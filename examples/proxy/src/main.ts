import { createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'
import { createProxy } from './create-proxy.js'

// UPSTREAM_URL: the API in front of which the proxy caches. REDIS_URL: share one cache (and its
// invalidations) between several proxy instances; memory only otherwise.
const upstream = process.env.UPSTREAM_URL
if (upstream === undefined || upstream === '') {
  console.error('Set UPSTREAM_URL to the upstream origin, e.g. UPSTREAM_URL=http://127.0.0.1:8000')
  process.exit(1)
}
const redisUrl = process.env.REDIS_URL
const cache = createCache({
  namespace: 'proxy',
  store: redisUrl ? new RedisStore({ url: redisUrl, keyPrefix: process.env.REDIS_KEY_PREFIX }) : undefined,
})
const proxy = createProxy({ upstream, cache })
const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
proxy.server.listen(port, host, () => {
  const address = proxy.server.address()
  const bound = typeof address === 'object' && address !== null ? address.port : port
  console.log(`proxy listening on http://${host}:${bound}/ -> ${upstream}`)
})
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void proxy.close().then(() => process.exit(0))
  })
}
