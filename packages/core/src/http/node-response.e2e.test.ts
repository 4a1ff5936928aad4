import { createServer, type Server, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { until } from '@cache/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { nodeRequestInfo } from './node-request-info.js'
import { holdNodeResponse, writeNodeDecision } from './node-response.js'
import type { Produced } from './types.js'

let server: Server | undefined
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())))

async function serve(handler: (res: ServerResponse) => Promise<void> | void): Promise<string> {
  server = createServer((_req, res) => void handler(res))
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describe('Node response helpers shared by the adapters', () => {
  it('holds a whole response back, then writes the decision with the stored bytes', async () => {
    let held: Produced | undefined
    const url = await serve(async (res) => {
      const pending = holdNodeResponse(res, { maxBytes: 1000, onRelease: () => {} })
      res.writeHead(201, { 'content-type': 'text/plain', 'x-handler': '1' })
      res.end('handler body')
      held = await pending
      writeNodeDecision(
        res,
        {
          kind: 'send',
          status: 200,
          headers: [['x-cache', 'HIT']],
          body: Buffer.from('stored'),
          replace: true,
        },
        new Set(),
      )
    })
    const response = await fetch(url)
    expect([response.status, await response.text(), response.headers.get('x-cache')]).toEqual([
      200,
      'stored',
      'HIT',
    ])
    expect(response.headers.get('x-handler')).toBeNull() // set by the handler: dropped on replace
    expect(held).toMatchObject({ kind: 'captured', status: 201, body: Buffer.from('handler body') })
    // Encoded from the handler's string for the cache alone: stored without another copy.
    expect(held).toMatchObject({ owned: true })
  })

  it('owns what it encodes (any encoding), not a Buffer the app gave; a long string passes through', async () => {
    const held: Produced[] = []
    const app = Buffer.from('app bytes')
    const ends = [
      (res: ServerResponse) => res.end(app),
      (res: ServerResponse) => res.end('68656c6c6f', 'hex'),
    ]
    const url = await serve(async (res) => {
      const pending = holdNodeResponse(res, {
        maxBytes: 10,
        onRelease: () => res.setHeader('x-cache', 'MISS'),
      })
      const end = ends.shift()
      if (end === undefined) res.end('longer than ten bytes')
      else end(res)
      const produced = await pending
      held.push(produced)
      if (produced.kind === 'captured')
        writeNodeDecision(res, { ...produced, kind: 'send', headers: [], replace: false })
    })
    expect(await (await fetch(url)).text()).toBe('app bytes')
    expect(await (await fetch(url)).text()).toBe('hello')
    const long = await fetch(url)
    expect([await long.text(), long.headers.get('x-cache')]).toEqual(['longer than ten bytes', 'MISS'])
    expect(
      held.map((p) => (p.kind === 'captured' ? [p.owned, Buffer.from(p.body).toString()] : p.kind)),
    ).toEqual([[false, 'app bytes'], [true, 'hello'], 'passthrough'])
    expect(held[0]?.kind === 'captured' && held[0].body).toBe(app)
  })

  it('lets a streaming or oversized response pass through untouched', async () => {
    const results: Produced[] = []
    const url = await serve(async (res) => {
      const pending = holdNodeResponse(res, {
        maxBytes: 5,
        onRelease: () => res.setHeader('x-cache', 'MISS'),
      })
      res.write('chunk-1 ')
      res.end('chunk-2')
      results.push(await pending)
    })
    const response = await fetch(url)
    expect([await response.text(), response.headers.get('x-cache')]).toEqual(['chunk-1 chunk-2', 'MISS'])
    expect(results[0]?.kind).toBe('passthrough')
  })

  it("holds a response on a framework's prototype (as Express sets) without adding own properties", async () => {
    // Adding own properties to such a response costs V8 a new hidden class per response.
    const frameworkProto = Object.create(ServerResponse.prototype) as ServerResponse
    const results: Produced[] = []
    const ownDuringHold: boolean[] = []
    const url = await serve(async (res) => {
      Object.setPrototypeOf(res, frameworkProto)
      const streaming = res.req.url === '/stream'
      const pending = holdNodeResponse(res, {
        maxBytes: 100,
        onRelease: () => res.setHeader('x-cache', 'MISS'),
      })
      ownDuringHold.push(['writeHead', 'write', 'end'].some((name) => Object.hasOwn(res, name)))
      if (streaming) res.write('chunk-1 ')
      setImmediate(() => res.end(streaming ? 'chunk-2' : 'whole'))
      const produced = await pending
      results.push(produced)
      if (produced.kind === 'captured')
        writeNodeDecision(res, {
          kind: 'send',
          status: 200,
          headers: [],
          body: produced.body,
          replace: false,
        })
    })
    const streamed = await fetch(`${url}/stream`)
    expect([await streamed.text(), streamed.headers.get('x-cache')]).toEqual(['chunk-1 chunk-2', 'MISS'])
    expect(await (await fetch(url)).text()).toBe('whole')
    expect(results.map((r) => r.kind)).toEqual(['passthrough', 'captured'])
    expect(ownDuringHold).toEqual([false, false])
  })

  it('chains to own overrides a middleware set on the response (a compression wrapper)', async () => {
    let held: Produced | undefined
    const url = await serve(async (res) => {
      Object.setPrototypeOf(res, Object.create(ServerResponse.prototype))
      const write = res.write
      const end = res.end
      res.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
        return (write as (...args: unknown[]) => boolean).call(this, String(chunk).toUpperCase(), ...rest)
      } as ServerResponse['write']
      res.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
        return (end as (...args: unknown[]) => ServerResponse).call(
          this,
          chunk && String(chunk).toUpperCase(),
          ...rest,
        )
      } as ServerResponse['end']
      const pending = holdNodeResponse(res, { maxBytes: 3, onRelease: () => {} })
      res.write('over ')
      res.end('limit')
      held = await pending
    })
    expect(await (await fetch(url)).text()).toBe('OVER LIMIT')
    expect(held?.kind).toBe('passthrough')
  })

  it('captures a body written then ended in the same synchronous run, as Fastify 4 sends (writeHead, write, end())', async () => {
    let held: Produced | undefined
    const written: string[] = []
    const url = await serve(async (res) => {
      const pending = holdNodeResponse(res, { maxBytes: 1000, onRelease: () => {} })
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '9' })
      res.write('{"a":', () => written.push('first'))
      res.write(Buffer.from('"b"}'), () => written.push('second'))
      // Fastify 4's own call (`sendTrailer`), which Node's types do not admit.
      ;(res.end as (...args: unknown[]) => void)(null, null, null)
      held = await pending
      writeNodeDecision(res, {
        kind: 'send',
        status: 200,
        headers: [],
        body: Buffer.from('{"a":"b"}'),
        replace: false,
      })
    })
    const response = await fetch(url)
    expect(await response.text()).toBe('{"a":"b"}')
    expect(held).toMatchObject({ kind: 'captured', status: 200, body: Buffer.from('{"a":"b"}'), owned: true })
    // A held write's callback runs once the response it belongs to is finished.
    await until(() => written.length === 2)
    expect(written).toEqual(['first', 'second'])
  })

  it('passes a write not ended at once through at once (a stream), with what came before it', async () => {
    const seen: string[] = []
    let releasedBeforeEnd = false
    const url = await serve(async (res) => {
      const pending = holdNodeResponse(res, {
        maxBytes: 1000,
        onRelease: () => res.setHeader('x-cache', 'MISS'),
      })
      res.writeHead(200, { 'content-type': 'text/plain' })
      res.write('part 1,')
      await new Promise((resolve) => setImmediate(resolve))
      const produced = await Promise.race([pending, Promise.resolve(undefined)])
      releasedBeforeEnd = produced?.kind === 'passthrough'
      res.end('part 2')
    })
    const response = await fetch(url)
    seen.push(response.headers.get('x-cache') ?? '', await response.text())
    expect(seen).toEqual(['MISS', 'part 1,part 2'])
    expect(releasedBeforeEnd).toBe(true)
  })

  it('passes a response with trailers through (trailers are not stored)', async () => {
    let held: Produced | undefined
    const url = await serve(async (res) => {
      const pending = holdNodeResponse(res, { maxBytes: 1000, onRelease: () => {} })
      res.writeHead(200, { 'content-type': 'text/plain', trailer: 'x-digest' })
      res.write('body')
      res.addTrailers({ 'x-digest': 'abc' })
      res.end()
      held = await pending
    })
    expect(await (await fetch(url)).text()).toBe('body')
    expect(held?.kind).toBe('passthrough')
  })

  it('is aborted, not captured, when the client left before the hold began', async () => {
    let held: Produced | undefined
    let gone!: () => void
    const clientGone = new Promise<void>((r) => (gone = r))
    const url = await serve(async (res) => {
      res.once('close', gone)
      await clientGone
      const pending = holdNodeResponse(res, { maxBytes: 1000, onRelease: () => {} })
      res.end('written after the client left')
      held = await pending
    })
    await fetch(url, { signal: AbortSignal.timeout(100) }).catch(() => undefined)
    await until(() => held !== undefined, { message: 'the hold never settled' })
    expect(held).toEqual({ kind: 'aborted' })
  })

  it('nodeRequestInfo splits path and query and keeps the framework-resolved host and protocol', () => {
    const info = nodeRequestInfo({
      method: 'GET',
      url: '/api/items/1?b=2&a=1',
      routeId: '/items/:id',
      protocol: 'https',
      host: 'example.com',
      headers: {},
      raw: null,
    })
    expect(info).toMatchObject({
      path: '/api/items/1',
      query: 'b=2&a=1',
      routeId: '/items/:id',
      protocol: 'https',
      host: 'example.com',
    })
    expect(
      nodeRequestInfo({
        method: 'GET',
        url: '/x',
        protocol: 'http',
        host: undefined,
        headers: {},
        raw: null,
      }),
    ).toMatchObject({
      query: '',
      host: '',
      routeId: undefined,
    })
  })
})
