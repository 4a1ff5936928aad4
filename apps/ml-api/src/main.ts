// Placeholder for the ML prediction API (a later issue): a runnable @cache/core demo so that
// `npm install && npm start` does something real on a fresh clone.
import { createServer } from 'node:http'
import { createCache, hashKey } from '@cache/core'

const cache = createCache({ namespace: 'demo', ttl: '10m', memory: { maxEntries: 10_000, maxBytes: '64MB' } })

function slowSquareSum(n: number): number {
  let acc = 0
  for (let i = 0; i < n * 200_000; i++) acc += (i % n) ** 2
  return acc
}

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost')
  if (url.pathname === '/stats') {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify(cache.stats()))
    return
  }
  const n = Number(url.searchParams.get('n') ?? 10)
  if (!Number.isInteger(n) || n < 1 || n > 1000) {
    res.writeHead(422, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ error: { code: 'INVALID_INPUT', message: 'n must be an integer in 1..1000' } }))
    return
  }
  const started = performance.now()
  let computed = false
  const value = await cache.getOrSet(hashKey({ op: 'square-sum', n }), async () => {
    computed = true
    return slowSquareSum(n)
  })
  res.writeHead(200, { 'content-type': 'application/json', 'x-cache': computed ? 'MISS' : 'HIT' })
  res.end(JSON.stringify({ n, value, ms: Number((performance.now() - started).toFixed(3)) }))
})

server.listen(port, host, () => {
  const address = server.address()
  const actual = typeof address === 'object' && address ? address.port : port
  console.log(
    `@cache/core demo (placeholder for the ML API) on http://${host}:${actual}/?n=10  — stats at /stats`,
  )
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close()
    void cache.close()
  })
}
