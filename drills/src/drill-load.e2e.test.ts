import { once } from 'node:events'
import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { expectedScore } from './answer-checks.js'
import { DrillLoad } from './drill-load.js'
import { DrillRecorder, latencyTargets, type Row } from './drill-recorder.js'
import { HttpClient } from './http-client.js'
import { Random } from './random.js'
import { VersionLedger } from './version-ledger.js'

type Body = { id: string; version: number; calls: number }

/**
 * Two instances of a miniature example app: item versions per instance, an L1 each and a
 * shared L2. A PUT bumps the version, then drops the item from every L1 (as the invalidation bus
 * does) and from L2, unless `loseL2Invalidations` (as a cache that drops the invalidations it
 * cannot send to an unreachable Redis).
 */
async function startFixture(
  loseL2Invalidations: boolean,
): Promise<{ urls: string[]; close(): Promise<void> }> {
  const l2 = new Map<string, Body>()
  const l1s = [new Map<string, Body>(), new Map<string, Body>()]
  const servers: Server[] = l1s.map((l1) => {
    const versions = new Map<string, number>()
    let calls = 0
    return createServer(async (req, res) => {
      const id = decodeURIComponent(req.url!.split('/')[2] ?? '')
      const send = (body: unknown, cache = 'MISS') => {
        res.writeHead(200, { 'content-type': 'application/json', 'x-cache': cache })
        res.end(JSON.stringify(body))
      }
      if (req.method === 'GET') {
        const cached = l1.get(id) ?? l2.get(id)
        if (cached !== undefined) {
          l1.set(id, cached)
          return send(cached, 'HIT')
        }
        const body = { id, version: versions.get(id) ?? 0, calls: ++calls }
        l1.set(id, body)
        l2.set(id, body)
        return send(body)
      }
      if (req.method === 'PUT') {
        const version = (versions.get(id) ?? 0) + 1
        versions.set(id, version)
        if (!loseL2Invalidations) l2.delete(id)
        for (const other of l1s) other.delete(id)
        return send({ id, version })
      }
      const { features } = JSON.parse(await text(req)) as { features: number[] }
      send({ features, score: expectedScore(features), calls: ++calls })
    })
  })
  await Promise.all(servers.map((s) => once(s.listen(0, '127.0.0.1'), 'listening')))
  return {
    urls: servers.map((s) => `http://127.0.0.1:${(s.address() as AddressInfo).port}`),
    close: async () => {
      for (const server of servers) {
        server.close()
        server.closeAllConnections()
      }
    },
  }
}

async function text(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

/** Runs the drill's load against the fixture until `done(row)` or `maxMs`, then reads every item back. */
async function drive(
  loseL2Invalidations: boolean,
  maxMs: number,
  done: (row: Row) => boolean,
): Promise<Row[]> {
  const fixture = await startFixture(loseL2Invalidations)
  const client = new HttpClient(5000)
  cleanup.push(fixture.close, () => client.close())
  const recorder = new DrillRecorder(latencyTargets(250, 100))
  recorder.begin('load', 'during')
  const load = new DrillLoad(client, recorder, new VersionLedger(), new Random(7), {
    baseUrls: fixture.urls,
    workers: 20,
    rate: 400,
    items: 2,
    writePauseMs: 10,
    putGapMs: 30,
  })
  load.start()
  cleanup.push(() => load.stop())
  const deadline = Date.now() + maxMs
  while (Date.now() < deadline && !done(recorder.current.row)) await sleep(50)
  await load.stop()
  recorder.begin('read-back', 'during')
  await load.readBack()
  return recorder.rows()
}

describe('DrillLoad', () => {
  it('finds the stale reads of a cache that loses invalidations', { timeout: 60_000 }, async () => {
    const [row] = await drive(true, 30_000, (r) => r.during.stale > 0)
    expect(row!.during.stale).toBeGreaterThan(0)
    expect(row!.examples[0]).toMatch(
      /stale GET \/items\/:id .*x-cache HIT: item-\d version \d+ < \d+ acknowledged/,
    )
  })

  it('finds none, and no other fault, when every invalidation lands', { timeout: 60_000 }, async () => {
    // Until enough traffic that the first case's bug would have shown, however busy the machine.
    const [row, readBack] = await drive(false, 30_000, (r) => r.during.requests > 250)
    expect(row!.during).toMatchObject({ failed: 0, wrong: 0, stale: 0 })
    expect(row!.during.requests).toBeGreaterThan(200)
    expect(row!.examples).toEqual([])
    expect(readBack!.during).toMatchObject({ requests: 4, failed: 0, wrong: 0, stale: 0 })
  })
})
