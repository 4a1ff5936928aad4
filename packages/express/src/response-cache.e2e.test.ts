import http from 'node:http'
import { createCache } from '@cache/core'
import { abandonRequest, deferred, until } from '@cache/test-utils'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { type ResponseCacheOptions, responseCache } from './index.js'
import { requestInfo } from './request-info.js'
import { listen, type TestServer } from './test-server.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** An app with `setup` routes. */
async function start(setup: (app: express.Express) => void): Promise<string> {
  const app = express()
  setup(app)
  server = await listen(app)
  return server.url
}

function options(extra: Partial<ResponseCacheOptions> = {}): ResponseCacheOptions {
  return { cache: createCache({ namespace: 'e2e' }), ...extra }
}

describe('responseCache (Express glue)', () => {
  it('passes a streamed response through untouched and does not store it', async () => {
    let calls = 0
    const url = await start((app) => {
      app.use(responseCache(options()))
      app.get('/stream', async (_req, res) => {
        calls++
        res.type('text/plain')
        res.write('part 1,')
        // The rest comes later (a tick is enough: a write not ended at once is a stream).
        await new Promise((resolve) => setImmediate(resolve))
        res.end('part 2')
      })
    })
    const first = await fetch(`${url}/stream`)
    expect(await first.text()).toBe('part 1,part 2')
    expect(first.headers.get('x-cache')).toBe('MISS')
    expect(await (await fetch(`${url}/stream`)).text()).toBe('part 1,part 2')
    expect(calls).toBe(2)
  })

  it('does not store a response whose client went away first', async () => {
    let calls = 0
    const started = deferred()
    const gate = deferred()
    let clientGone = false
    let finished = false
    const url = await start((app) => {
      app.use(responseCache(options()))
      app.get('/slow', async (_req, res) => {
        calls++
        if (calls === 1) {
          res.once('close', () => (clientGone = true))
          started.resolve()
          await gate.promise
        }
        res.json({ calls })
        if (calls === 1) finished = true
      })
    })
    // The client leaves while its handler runs; the handler then answers, to nobody.
    await abandonRequest(`${url}/slow`, started.promise)
    await until(() => clientGone, { message: 'the server did not see the client leave' })
    gate.resolve()
    await until(() => finished, { message: 'the first handler did not finish' })
    const next = await fetch(`${url}/slow`)
    expect([next.headers.get('x-cache'), await next.json()]).toEqual(['MISS', { calls: 2 }])
    expect((await fetch(`${url}/slow`)).headers.get('x-cache')).toBe('HIT')
  })

  it('captures writeHead(status, headers) + end and stores it', async () => {
    let calls = 0
    const url = await start((app) => {
      app.use(responseCache(options({ statuses: [200, 203] })))
      app.get('/raw', (_req, res) => {
        calls++
        res.writeHead(203, 'Custom', { 'content-type': 'text/csv', 'x-raw': 'yes' })
        res.end('a,b\n')
      })
    })
    await fetch(`${url}/raw`)
    const hit = await fetch(`${url}/raw`)
    expect([hit.status, hit.headers.get('content-type'), hit.headers.get('x-raw'), await hit.text()]).toEqual(
      [203, 'text/csv', 'yes', 'a,b\n'],
    )
    expect(calls).toBe(1)
  })

  it('keys forwarded host and protocol only when Express trusts the proxy', async () => {
    let calls = 0
    const url = await start((app) => {
      app.set('trust proxy', 'loopback')
      app.use(responseCache(options()))
      app.get('/who', (req, res) => {
        res.json({ host: req.hostname, calls: ++calls })
      })
    })
    const a = await (await fetch(`${url}/who`, { headers: { 'x-forwarded-host': 'a.test' } })).json()
    const b = await (await fetch(`${url}/who`, { headers: { 'x-forwarded-host': 'b.test' } })).json()
    const a2 = await (await fetch(`${url}/who`, { headers: { 'x-forwarded-host': 'a.test' } })).json()
    expect([a, b, a2]).toEqual([
      { host: 'a.test', calls: 1 },
      { host: 'b.test', calls: 2 },
      { host: 'a.test', calls: 1 },
    ])
  })

  it('reads host and protocol as Express does, with or without forwarded headers and trust', async () => {
    const seen: unknown[] = []
    const url = await start((app) => {
      app.set('trust proxy', (_addr: string, i: number) => i === 0)
      app.get('/facts', (req, res) => {
        const info = requestInfo(req)
        seen.push([info.host, req.host, info.protocol, req.protocol])
        res.end()
      })
    })
    const port = new URL(url).port
    const cases: Record<string, string>[] = [
      { host: `127.0.0.1:${port}` },
      { host: 'Example.TEST:8080' },
      { host: '[::1]:3000' },
      { host: '[::1]' },
      { host: 'plain.test' },
      { host: 'a.test', 'x-forwarded-host': 'b.test:9', 'x-forwarded-proto': 'https' },
      { host: 'a.test', 'x-forwarded-proto': 'https' },
    ]
    for (const headers of cases) {
      await new Promise<void>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/facts', headers }, (res) => res.resume().on('end', resolve))
          .on('error', reject)
      })
    }
    expect(seen).toHaveLength(cases.length)
    for (const [host, expressHost, protocol, expressProtocol] of seen as string[][])
      expect([host, protocol]).toEqual([expressHost, expressProtocol])
    expect((seen[1] as string[])[0]).toBe('Example.TEST:8080')
    expect((seen[5] as string[])[0]).toBe('b.test:9')
    expect((seen[6] as string[])[2]).toBe('https')
  })

  it('keys the full path of a mounted router, handles a request once when nested, and coalesces', async () => {
    let calls = 0
    let arrived = 0
    const gate = deferred()
    const rc = responseCache(options())
    const url = await start((app) => {
      const router = express.Router()
      router.get('/x', rc, async (_req, res) => {
        calls++
        // The leader answers once every request has reached the cache (and joined its flight).
        await gate.promise
        res.json({ calls })
      })
      app.use((_req, _res, next) => {
        arrived++
        next()
      })
      app.use(rc)
      app.use('/api', router)
      app.get('/x', (_req, res) => {
        res.json({ other: true })
      })
    })
    const all = Promise.all(Array.from({ length: 20 }, () => fetch(`${url}/api/x`).then((r) => r.json())))
    await until(() => arrived === 20, { message: 'not every request reached the server' })
    gate.resolve()
    expect(new Set((await all).map((b) => JSON.stringify(b)))).toEqual(new Set(['{"calls":1}']))
    expect(await (await fetch(`${url}/x`)).json()).toEqual({ other: true })
    expect(calls).toBe(1)
  })
})
