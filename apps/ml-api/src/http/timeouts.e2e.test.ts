import type { FastifyInstance } from 'fastify'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { AppConfig } from '../config.js'
import { type LocalModels, loadModels } from '../models/load-models.js'
import { type ListeningApp, listenApp } from '../testing/listen-app.js'
import {
  connectRaw as connect,
  parseRawResponse,
  type RawConnection,
  within,
} from '../testing/raw-connection.js'

let models: LocalModels
const apps: FastifyInstance[] = []
const connections: RawConnection[] = []

beforeAll(async () => {
  models = await loadModels({ flightsRows: 2000 })
})

afterEach(async () => {
  vi.restoreAllMocks()
  // A server that never cut them must not keep `close()` waiting.
  for (const conn of connections.splice(0)) conn.destroy()
  await Promise.all(apps.splice(0).map((app) => app.close()))
})

// Every deadline off unless the test sets it: each test runs exactly one of them, small.
async function listen(config: Partial<AppConfig>): Promise<ListeningApp> {
  const listening = await listenApp({
    models,
    config: { bodyTimeoutMs: 0, requestTimeoutMs: 0, connectionTimeoutMs: 0, ...config },
  })
  apps.push(listening.app)
  return listening
}

async function connectRaw(port: number): Promise<RawConnection> {
  const conn = await connect(port)
  connections.push(conn)
  return conn
}

// Far longer than any deadline under test: only a server that never cuts reaches it.
const LIMIT_MS = 20_000
const ROW = JSON.stringify({ inputs: [{ distance: 500, hour: 8 }] })
// Valid JSON once complete (trailing whitespace), and 1 byte per 100 ms would take 100 s.
const SLOW_BODY = ROW.padEnd(1000, ' ')

/** Sends the head of a flight-delay POST, then its body one byte per 100 ms until any answer. */
async function trickle(port: number): Promise<{ conn: RawConnection; sent: () => number }> {
  const conn = await connectRaw(port)
  conn.write(
    'POST /v1/predict/flight-delay HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      `Content-Length: ${SLOW_BODY.length}\r\n\r\n`,
  )
  let sent = 0
  const timer = setInterval(() => {
    if (conn.received() !== '' || sent === SLOW_BODY.length || !conn.write(SLOW_BODY[sent]!)) return
    sent++
  }, 100)
  void conn.closed.then(() => clearInterval(timer))
  return { conn, sent: () => sent }
}

function expectTimeoutAnswer(conn: RawConnection) {
  const res = parseRawResponse(conn.received())
  expect(res, conn.received()).toBeDefined()
  expect(res!.status).toBe(408)
  expect(res!.headers['content-type']).toContain('application/json')
  expect(res!.headers.connection).toBe('close')
  const body = JSON.parse(res!.body) as { error: { code: string; message: string } }
  expect(Object.keys(body)).toEqual(['error'])
  expect(body.error).toEqual({
    code: 'request_timeout',
    message: expect.any(String),
    type: 'invalid_request_error',
    param: null,
  })
}

describe('request deadlines', () => {
  it('a body that trickles in is cut at the body timeout: 408 JSON, connection closed, model not called', async () => {
    const { app, port, url } = await listen({ bodyTimeoutMs: 500 })
    const predict = vi.spyOn(models.flightDelay, 'predict')
    const before = app.mlApi.cache.stats()
    const { conn, sent } = await trickle(port)
    await within(conn.closed, LIMIT_MS, 'the server closing a trickling body')
    expectTimeoutAnswer(conn)
    expect(sent()).toBeLessThan(SLOW_BODY.length)
    expect(predict).not.toHaveBeenCalled()
    expect(app.mlApi.cache.stats()).toMatchObject({ sets: before.sets, lookups: before.lookups })
    // The server is fine, and the same body sent at once is answered.
    const ok = await fetch(`${url}/v1/predict/flight-delay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: SLOW_BODY,
    })
    expect(ok.status).toBe(200)
  })

  it('a request still arriving at the request timeout gets a 408 JSON answer: slow body or slow head', async () => {
    const { app, port } = await listen({ requestTimeoutMs: 500 })
    const predict = vi.spyOn(models.flightDelay, 'predict')
    const before = app.mlApi.cache.stats()
    const { conn, sent } = await trickle(port)
    const head = await connectRaw(port)
    head.write('POST /v1/predict/flight-delay HTTP/1.1\r\nHost: 127.0.0.1\r\n')
    await within(Promise.all([conn.closed, head.closed]), LIMIT_MS, 'the server closing slow requests')
    expectTimeoutAnswer(conn)
    expectTimeoutAnswer(head)
    expect(sent()).toBeLessThan(SLOW_BODY.length)
    expect(predict).not.toHaveBeenCalled()
    expect(app.mlApi.cache.stats()).toMatchObject({ sets: before.sets, lookups: before.lookups })
  })

  it('an idle connection is closed at the connection timeout, without an answer to no request', async () => {
    const { port, url } = await listen({ connectionTimeoutMs: 500 })
    const idle = await connectRaw(port)
    await within(idle.closed, LIMIT_MS, 'the server closing an idle connection')
    expect(idle.received()).toBe('')
    expect((await fetch(`${url}/v1/models`)).status).toBe(200)
  })
})
