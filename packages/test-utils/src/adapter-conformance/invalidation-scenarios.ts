import { expect } from 'vitest'
import type { AdapterConformanceScenario } from './scenario.js'

/** How stored responses are dropped: mutations, tags, paths. And POST bodies in the key. */
export const invalidationScenarios: readonly AdapterConformanceScenario[] = [
  {
    id: 'mutation-invalidates-path',
    name: 'a successful PUT invalidates its path (BYPASS); a failed DELETE does not',
    async run({ start }) {
      let calls = 0
      const app = await start([
        { method: 'GET', path: '/doc', handler: () => ({ body: { calls: ++calls } }) },
        { method: 'PUT', path: '/doc', handler: () => ({ body: { ok: true } }) },
        { method: 'DELETE', path: '/doc', handler: () => ({ status: 500, body: { ok: false } }) },
      ])
      const status = async (method = 'GET') => (await app.request('/doc', { method })).header('x-cache')
      expect([await status(), await status()]).toEqual(['MISS', 'HIT'])
      const put = await app.request('/doc', { method: 'PUT' })
      expect([put.status, put.header('x-cache')]).toEqual([200, 'BYPASS'])
      expect([await status(), await status()]).toEqual(['MISS', 'HIT'])
      expect((await app.request('/doc', { method: 'DELETE' })).status).toBe(500)
      expect(await status()).toBe('HIT')
    },
  },
  {
    id: 'tags-and-paths',
    name: 'route tags from the request; invalidateTags on a mutation; invalidate({ tags }) and ({ paths })',
    async run({ start }) {
      let calls = 0
      const item = (req: { params: Record<string, string> }) => [`item:${req.params.id}`]
      const app = await start([
        {
          method: 'GET',
          path: '/items/:id',
          cache: { tags: item },
          handler: (req) => ({ body: { id: req.params.id, calls: ++calls } }),
        },
        {
          method: 'POST',
          path: '/items/:id/touch',
          cache: { invalidateTags: item },
          handler: () => ({ body: { touched: true } }),
        },
      ])
      const status = async (path: string) => (await app.request(path)).header('x-cache')
      for (const path of ['/items/1', '/items/2', '/items/2?v=1']) expect(await status(path)).toBe('MISS')
      expect((await app.request('/items/1/touch', { method: 'POST' })).status).toBe(200)
      expect([await status('/items/1'), await status('/items/2')]).toEqual(['MISS', 'HIT'])
      await app.invalidate({ tags: ['item:1'] })
      expect([await status('/items/1'), await status('/items/2')]).toEqual(['MISS', 'HIT'])
      // A path drops every variant of it (query strings included), and nothing else.
      await app.invalidate({ paths: ['/items/2'] })
      expect([await status('/items/2'), await status('/items/2?v=1'), await status('/items/1')]).toEqual([
        'MISS',
        'MISS',
        'HIT',
      ])
    },
  },
  {
    id: 'post-by-body',
    name: 'caches an opted-in POST by its canonical JSON body (key order and spaces do not matter)',
    async run({ start }) {
      let calls = 0
      const app = await start([
        {
          method: 'POST',
          path: '/search',
          cache: { methods: ['POST'] },
          handler: (req) => ({ body: { q: req.body, calls: ++calls } }),
        },
      ])
      const post = (body: string) =>
        app.request('/search', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
      const results = [
        await post('{"a":1,"b":2}'),
        await post('{ "b": 2, "a": 1 }'),
        await post('{"a":1,"b":3}'),
      ]
      expect(results.map((r) => [r.status, r.header('x-cache')])).toEqual([
        [200, 'MISS'],
        [200, 'HIT'],
        [200, 'MISS'],
      ])
      expect(results[1]?.json()).toEqual({ q: { a: 1, b: 2 }, calls: 1 })
    },
  },
]
