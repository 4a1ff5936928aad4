import { expect } from 'vitest'
import type { AdapterConformanceScenario } from './scenario.js'

/** A stored response comes back as it was: status, headers, bytes, validators, HEAD. */
export const replayScenarios: readonly AdapterConformanceScenario[] = [
  {
    id: 'hit-replay',
    name: 'MISS then HIT: replays status, content type and bytes with Cache-Status, age and etag',
    async run({ start }) {
      let calls = 0
      const app = await start([
        { method: 'GET', path: '/x', handler: () => ({ body: { n: ++calls, text: 'héllo' } }) },
      ])
      const miss = await app.request('/x')
      const hit = await app.request('/x')
      expect([miss.header('x-cache'), hit.header('x-cache')]).toEqual(['MISS', 'HIT'])
      expect(miss.header('cache-status')).toMatch(/^cache; fwd=uri-miss; fwd-status=200; ttl=\d+; stored$/)
      expect(hit.header('cache-status')).toMatch(/^cache; hit; ttl=\d+$/)
      expect(hit.bytes.equals(miss.bytes)).toBe(true)
      expect([hit.status, hit.header('content-type')]).toEqual([200, miss.header('content-type')])
      expect(hit.header('etag')).toMatch(/^(W\/)?"/)
      expect(hit.header('etag')).toBe(miss.header('etag'))
      expect(hit.header('age')).toMatch(/^\d+$/)
      expect(hit.header('content-length')).toBe(String(miss.bytes.length))
      expect(calls).toBe(1)
    },
  },
  {
    id: 'earlier-headers',
    name: 'does not store headers set before the cache (a request id), and replays the handler’s',
    async run({ start, requests }) {
      const app = await start([
        { method: 'GET', path: '/x', handler: () => ({ headers: { 'x-item': 'yes' }, body: { ok: true } }) },
      ])
      const miss = await app.request('/x')
      const hit = await app.request('/x')
      expect(requests()).toBe(2)
      expect([miss.header('x-cache'), miss.header('x-request-id')]).toEqual(['MISS', 'req-1'])
      expect([hit.header('x-cache'), hit.header('x-request-id'), hit.header('x-item')]).toEqual([
        'HIT',
        'req-2',
        'yes',
      ])
    },
  },
  {
    id: 'status-replay',
    name: 'replays an opted-in status (203) with the handler’s headers and non-JSON bytes',
    async run({ start }) {
      let calls = 0
      const app = await start([
        {
          method: 'GET',
          path: '/csv',
          cache: { statuses: [200, 203] },
          handler: () => {
            calls++
            return {
              status: 203,
              headers: { 'content-type': 'text/csv', 'x-custom': 'yes' },
              body: 'a,b\n1,2\n',
            }
          },
        },
      ])
      const miss = await app.request('/csv')
      const hit = await app.request('/csv')
      expect([hit.status, hit.header('x-custom'), hit.header('x-cache'), hit.text]).toEqual([
        203,
        'yes',
        'HIT',
        'a,b\n1,2\n',
      ])
      expect(hit.header('content-type')).toMatch(/^text\/csv/)
      expect(hit.header('content-type')).toBe(miss.header('content-type'))
      expect(calls).toBe(1)
    },
  },
  {
    id: 'conditional',
    name: 'answers If-None-Match with 304 from the cache, and hides conditionals from the handler on a miss',
    async run({ start }) {
      const seen: unknown[] = []
      const app = await start([
        {
          method: 'GET',
          path: '/x',
          handler: (req) => {
            seen.push(req.headers['if-none-match'])
            return { body: { same: true } }
          },
        },
      ])
      const etag = (await app.request('/x?a')).header('etag')
      expect(etag).toBeDefined()
      // A miss whose If-None-Match matches still gets a full, storable 200.
      const conditionalMiss = await app.request('/x?b', { headers: { 'if-none-match': etag! } })
      expect([conditionalMiss.status, conditionalMiss.header('x-cache'), conditionalMiss.json()]).toEqual([
        200,
        'MISS',
        { same: true },
      ])
      const conditionalHit = await app.request('/x?b', { headers: { 'if-none-match': etag! } })
      expect([conditionalHit.status, conditionalHit.header('x-cache'), conditionalHit.bytes.length]).toEqual([
        304,
        'HIT',
        0,
      ])
      expect(conditionalHit.header('etag')).toBe(etag)
      // `If-None-Match: *` matches any current representation (RFC 9110 §13.1.2).
      const star = await app.request('/x?b', { headers: { 'if-none-match': '*' } })
      expect([star.status, star.header('x-cache'), star.bytes.length]).toEqual([304, 'HIT', 0])
      expect(seen).toEqual([undefined, undefined])
    },
  },
  {
    id: 'head',
    name: 'HEAD never poisons GET, and a HEAD hit carries the stored length without a body',
    async run({ start }) {
      let calls = 0
      const app = await start([{ method: 'GET', path: '/h', handler: () => ({ body: { calls: ++calls } }) }])
      expect((await app.request('/h', { method: 'HEAD' })).header('x-cache')).toBe('MISS')
      expect((await app.request('/h')).json()).toEqual({ calls: 2 })
      const head = await app.request('/h', { method: 'HEAD' })
      expect([head.status, head.header('x-cache'), head.header('content-length'), head.bytes.length]).toEqual(
        [200, 'HIT', String(JSON.stringify({ calls: 2 }).length), 0],
      )
    },
  },
]
