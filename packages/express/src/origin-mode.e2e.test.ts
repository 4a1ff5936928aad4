import { createCache } from '@cache/core'
import express from 'express'
import { afterEach, describe, expect, it } from 'vitest'
import { responseCache } from './index.js'
import { listen, type TestServer } from './test-server.js'

let server: TestServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function start(route: (req: express.Request, res: express.Response) => void): Promise<string> {
  const app = express()
  app.use(responseCache({ cache: createCache({ namespace: 'origin-e2e' }), freshness: 'origin' }))
  app.get('/x', route)
  server = await listen(app)
  return server.url
}

describe("freshness: 'origin' through Express", () => {
  it('revalidates a no-cache response through the handler: Express answers the validator with 304', async () => {
    const seen: (string | undefined)[] = []
    const url = await start((req, res) => {
      seen.push(req.headers['if-none-match'])
      res.set({ 'Cache-Control': 'no-cache', ETag: '"v1"' }).send('the body')
    })
    await fetch(`${url}/x`).then((r) => r.text())
    const again = await fetch(`${url}/x`)
    expect([again.status, await again.text(), again.headers.get('x-cache')]).toEqual([200, 'the body', 'HIT'])
    expect(again.headers.get('cache-status')).toMatch(/^cache; fwd=stale; fwd-status=304; ttl=(0|-1)$/)
    expect(seen).toEqual([undefined, '"v1"'])
  })
})
