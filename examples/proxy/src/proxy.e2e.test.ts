import { createCache } from '@cache/core'
import { afterEach, describe, expect, it } from 'vitest'
import { type Proxy as CachingProxy, createProxy } from './create-proxy.js'
import { listen, startUpstream, type TestUpstream } from './test-upstream.js'

let upstream: TestUpstream | undefined
let proxy: CachingProxy | undefined

afterEach(async () => {
  await proxy?.close()
  await upstream?.close()
  proxy = undefined
  upstream = undefined
})

async function start(handle: Parameters<typeof startUpstream>[0]): Promise<string> {
  upstream = await startUpstream(handle)
  proxy = createProxy({ upstream: upstream.url, cache: createCache({ namespace: 'proxy-test' }) })
  return listen(proxy.server)
}

describe('caching reverse proxy', () => {
  it('caches by the upstream Cache-Control, with x-cache, Cache-Status and age', async () => {
    const base = await start((_req, res, n) => {
      res.writeHead(200, { 'cache-control': 'public, max-age=60', 'content-type': 'application/json' })
      res.end(JSON.stringify({ n }))
    })
    const sent = Date.now()
    const miss = await fetch(`${base}/items/1?a=1`)
    expect([miss.status, miss.headers.get('x-cache'), await miss.json()]).toEqual([200, 'MISS', { n: 1 }])
    const status = miss.headers.get('cache-status') ?? ''
    expect(status).toMatch(/^cache; fwd=uri-miss; fwd-status=200; ttl=\d+; stored$/)
    // The upstream's whole-second Date counts toward the age (RFC 9111 §4.2.3): 60 s less the
    // whole seconds since that Date, which is no earlier than the second the request was sent in.
    const elapsed = Math.ceil((Date.now() - Math.floor(sent / 1000) * 1000) / 1000)
    const ttl = Number(/ttl=(\d+)/.exec(status)?.[1])
    expect(ttl).toBeLessThanOrEqual(60)
    expect(ttl).toBeGreaterThanOrEqual(60 - elapsed)
    const hit = await fetch(`${base}/items/1?a=1`)
    expect([hit.headers.get('x-cache'), await hit.json()]).toEqual(['HIT', { n: 1 }])
    expect(hit.headers.get('age')).toMatch(/^\d+$/)
    expect(upstream!.count('/items/1?a=1')).toBe(1)
  })

  it('does not store what the upstream forbids, and forwards the request headers and body', async () => {
    const base = await start((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        res.writeHead(200, { 'cache-control': 'private, max-age=60' })
        res.end(`${req.method} ${req.headers['x-token'] ?? ''} ${Buffer.concat(chunks).toString()}`)
      })
    })
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/private`, { headers: { 'x-token': 't' } })
      expect([res.headers.get('x-cache'), await res.text()]).toEqual(['MISS', 'GET t '])
    }
    const post = await fetch(`${base}/private`, { method: 'POST', body: 'payload' })
    expect(await post.text()).toBe('POST  payload')
    expect(upstream!.count('/private')).toBe(3)
  })

  it('revalidates a no-cache response with If-None-Match; the upstream 304 serves the stored body', async () => {
    const base = await start((req, res) => {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304, { etag: '"v1"', 'cache-control': 'no-cache' })
        res.end()
        return
      }
      res.writeHead(200, { etag: '"v1"', 'cache-control': 'no-cache', 'content-type': 'text/plain' })
      res.end('body v1')
    })
    await fetch(`${base}/doc`).then((r) => r.text())
    const again = await fetch(`${base}/doc`)
    expect([again.status, await again.text()]).toEqual([200, 'body v1'])
    expect(again.headers.get('cache-status')).toMatch(/^cache; fwd=stale; fwd-status=304; ttl=(0|-1)$/)
    expect(upstream!.seen.map((s) => s.headers['if-none-match'])).toEqual([undefined, '"v1"'])
  })

  it('serves the stored response when the upstream is down, and 502 when nothing is stored', async () => {
    const base = await start((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=0', etag: '"e"' })
      res.end('kept')
    })
    await fetch(`${base}/kept`).then((r) => r.text())
    await upstream!.close()
    const stale = await fetch(`${base}/kept`)
    expect([stale.status, stale.headers.get('x-cache'), await stale.text()]).toEqual([200, 'STALE', 'kept'])
    const missing = await fetch(`${base}/never-stored`)
    expect(missing.status).toBe(502)
  })

  it('streams a body larger than maxEntryBytes without storing it', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024, 'x')
    const base = await start((_req, res) => {
      res.writeHead(200, { 'cache-control': 'max-age=60', 'content-length': String(big.byteLength) })
      res.end(big)
    })
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${base}/big`)
      expect([res.headers.get('x-cache'), (await res.arrayBuffer()).byteLength]).toEqual([
        'MISS',
        big.byteLength,
      ])
    }
    expect(upstream!.count('/big')).toBe(2)
  })
})
