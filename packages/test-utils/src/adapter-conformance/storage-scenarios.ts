import { expect } from 'vitest'
import type { AdapterConformanceScenario } from './scenario.js'

const UNSTORABLE: readonly [string, string, string][] = [
  ['Set-Cookie', 'set-cookie', 'sid=abc; Path=/'],
  ['Cache-Control: no-store', 'cache-control', 'no-store'],
  ['Cache-Control: private', 'cache-control', 'private, max-age=60'],
  ['Vary: *', 'vary', '*'],
]

/** What is stored and under which key: the storage rules every adapter must apply. */
export const storageScenarios: readonly AdapterConformanceScenario[] = [
  ...UNSTORABLE.map(
    ([what, name, value]): AdapterConformanceScenario => ({
      id: `unstorable-${name}`,
      name: `never stores a response with ${what}, and sends the handler its own header`,
      async run({ start }) {
        let calls = 0
        const app = await start([
          {
            method: 'GET',
            path: '/p',
            handler: () => ({ headers: { [name]: value }, body: { calls: ++calls } }),
          },
        ])
        const first = await app.request('/p')
        const second = await app.request('/p')
        expect([first.header('x-cache'), first.header(name)]).toEqual(['MISS', value])
        expect([second.header('x-cache'), second.json()]).toEqual(['MISS', { calls: 2 }])
      },
    }),
  ),
  {
    id: 'non-2xx',
    name: 'never stores an error status or a thrown error',
    async run({ start }) {
      let missing = 0
      let boom = 0
      const app = await start([
        { method: 'GET', path: '/missing', handler: () => ({ status: 404, body: { calls: ++missing } }) },
        {
          method: 'GET',
          path: '/boom',
          handler: () => {
            boom++
            throw new Error('conformance: boom')
          },
        },
      ])
      const notFound = [await app.request('/missing'), await app.request('/missing')]
      expect(notFound.map((r) => [r.status, r.header('x-cache'), r.json()])).toEqual([
        [404, 'MISS', { calls: 1 }],
        [404, 'MISS', { calls: 2 }],
      ])
      const thrown = [await app.request('/boom'), await app.request('/boom')]
      expect(thrown.map((r) => r.status)).toEqual([500, 500])
      expect(boom).toBe(2)
    },
  },
  {
    id: 'max-entry-bytes',
    name: 'passes a body over maxEntryBytes through untouched and does not store it (string and Buffer)',
    async run({ start }) {
      let calls = 0
      // 6000 bytes in 3000 UTF-16 code units: the limit is on bytes.
      const big = 'é'.repeat(3000)
      const counted = (body: unknown) => () => {
        calls++
        return { body }
      }
      const app = await start(
        [
          { method: 'GET', path: '/big', handler: counted(big) },
          { method: 'GET', path: '/buf', handler: counted(Buffer.alloc(5000, 1)) },
          { method: 'GET', path: '/small', handler: counted('small') },
        ],
        { maxEntryBytes: '4kb' },
      )
      for (const path of ['/big', '/big', '/buf', '/buf']) {
        const res = await app.request(path)
        expect([res.header('x-cache'), res.bytes.length]).toEqual(['MISS', path === '/big' ? 6000 : 5000])
      }
      expect((await app.request('/big')).text).toBe(big)
      await app.request('/small')
      expect((await app.request('/small')).header('x-cache')).toBe('HIT')
      expect(calls).toBe(6)
    },
  },
  {
    id: 'query-and-vary',
    name: 'keys by the normalised query, and honours the response’s Vary',
    async run({ start }) {
      let calls = 0
      const app = await start([
        { method: 'GET', path: '/q', handler: (req) => ({ body: { q: req.query, calls: ++calls } }) },
        {
          method: 'GET',
          path: '/lang',
          handler: (req) => ({
            headers: { vary: 'Accept-Language' },
            body: { lang: req.headers['accept-language'], calls: ++calls },
          }),
        },
      ])
      const status = async (path: string, headers: Record<string, string> = {}) =>
        (await app.request(path, { headers })).header('x-cache')
      expect([await status('/q?a=1'), await status('/q?a=1'), await status('/q?a=2')]).toEqual([
        'MISS',
        'HIT',
        'MISS',
      ])
      // Parameter order does not matter.
      expect([await status('/q?b=2&a=1'), await status('/q?a=1&b=2')]).toEqual(['MISS', 'HIT'])
      const lang = async (value: string) => app.request('/lang', { headers: { 'accept-language': value } })
      const answers = [await lang('en'), await lang('fr'), await lang('en')]
      expect(answers.map((r) => [r.header('x-cache'), (r.json() as { lang: string }).lang])).toEqual([
        ['MISS', 'en'],
        ['MISS', 'fr'],
        ['HIT', 'en'],
      ])
    },
  },
  {
    id: 'per-user',
    name: 'varyBy.user keys by user; credentials on a shared route bypass the cache',
    async run({ start }) {
      let calls = 0
      const user = (req: { headers: Record<string, unknown> }) => String(req.headers.authorization).slice(7)
      const app = await start([
        {
          method: 'GET',
          path: '/me',
          cache: { varyBy: { user } },
          handler: (req) => ({ body: { user: user(req), calls: ++calls } }),
        },
        { method: 'GET', path: '/shared', handler: () => ({ body: { calls: ++calls } }) },
      ])
      const me = async (who: string) => app.request('/me', { headers: { authorization: `Bearer ${who}` } })
      const answers = [await me('alice'), await me('bob'), await me('alice')]
      expect(answers.map((r) => [r.header('x-cache'), (r.json() as { user: string }).user])).toEqual([
        ['MISS', 'alice'],
        ['MISS', 'bob'],
        ['HIT', 'alice'],
      ])
      await app.request('/shared')
      const withAuth = await app.request('/shared', { headers: { authorization: 'Bearer eve' } })
      expect(withAuth.header('x-cache')).toBe('BYPASS')
    },
  },
]
