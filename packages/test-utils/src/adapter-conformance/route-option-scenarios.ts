import { expect } from 'vitest'
import type { AdapterConformanceScenario } from './scenario.js'
import type { ConformanceRoute } from './types.js'

const INVALID = { code: 'ERR_CACHE_INVALID_OPTION' }
const plain: ConformanceRoute = { method: 'GET', path: '/x', handler: () => ({ body: 'x' }) }

/** The `ttl` of `Cache-Status` (RFC 9211 §2.4): the entry's remaining freshness in seconds. */
function ttlOf(cacheStatus: string | undefined): number {
  return Number(/; ttl=(-?\d+)/.exec(cacheStatus ?? '')?.[1])
}

/** Route options over the adapter's, validated at setup; origin freshness. */
export const routeOptionScenarios: readonly AdapterConformanceScenario[] = [
  {
    id: 'route-options',
    name: 'merges route options over the adapter’s (ttl); false leaves a route out of the cache',
    async run({ start }) {
      let calls = 0
      const body = () => ({ body: { calls: ++calls } })
      const app = await start(
        [
          { method: 'GET', path: '/default', handler: body },
          { method: 'GET', path: '/long', cache: { ttl: '1h' }, handler: body },
          { method: 'GET', path: '/off', cache: false, handler: body },
        ],
        { ttl: '10m' },
      )
      const hit = async (path: string) => {
        await app.request(path)
        const res = await app.request(path)
        expect(res.header('x-cache')).toBe('HIT')
        return ttlOf(res.header('cache-status'))
      }
      // Seconds pass on a busy machine: a range, far from the other TTL.
      expect(await hit('/default')).toBeGreaterThan(500)
      expect(await hit('/default')).toBeLessThanOrEqual(600)
      expect(await hit('/long')).toBeGreaterThan(3500)
      const off = [await app.request('/off'), await app.request('/off')]
      expect(off.map((r) => [r.header('x-cache'), r.json()])).toEqual([
        [undefined, { calls: 3 }],
        [undefined, { calls: 4 }],
      ])
    },
  },
  {
    id: 'invalid-options',
    name: 'refuses bad adapter and route options at setup (ERR_CACHE_INVALID_OPTION, did-you-mean)',
    async run({ start }) {
      // The valid setup starts: the refusals below are about the options.
      expect((await (await start([plain])).request('/x')).header('x-cache')).toBe('MISS')
      await expect(start([plain], { ttl: 'soon' })).rejects.toMatchObject(INVALID)
      await expect(start([plain], { cache: undefined })).rejects.toMatchObject(INVALID)
      await expect(start([plain], { ttll: '1m' } as never)).rejects.toMatchObject({
        ...INVALID,
        message: expect.stringContaining('did you mean "ttl"?'),
      })
      for (const cache of [{ ttl: -1 }, { tll: '1m' }, { methods: ['PUT'] }]) {
        await expect(start([{ ...plain, cache: cache as never }])).rejects.toMatchObject(INVALID)
      }
    },
  },
  {
    id: 'throwing-callback',
    name: 'a throwing route callback goes to the framework’s error handling (500), never to a cached answer',
    async run({ start }) {
      const tags = (): string[] => {
        throw new Error('conformance: bad tags')
      }
      const app = await start([{ ...plain, cache: { tags } }])
      expect([(await app.request('/x')).status, (await app.request('/x')).status]).toEqual([500, 500])
    },
  },
  {
    id: 'origin-freshness',
    name: "freshness: 'origin' obeys s-maxage and revalidates a no-cache response with the stored validator",
    async run({ start }) {
      let calls = 0
      const seen: unknown[] = []
      const app = await start(
        [
          {
            method: 'GET',
            path: '/shared',
            handler: () => ({
              headers: { 'cache-control': 'public, max-age=0, s-maxage=60' },
              body: `call ${++calls}`,
            }),
          },
          {
            method: 'GET',
            path: '/no-cache',
            handler: (req) => {
              const validator = req.headers['if-none-match']
              seen.push(validator)
              const headers = { 'cache-control': 'no-cache', etag: '"v1"' }
              // Answered as an origin does: the stored copy is still good.
              return validator === '"v1"' ? { status: 304, headers } : { headers, body: 'the body' }
            },
          },
        ],
        { freshness: 'origin' },
      )
      await app.request('/shared')
      const hit = await app.request('/shared')
      expect([hit.header('x-cache'), hit.text, calls]).toEqual(['HIT', 'call 1', 1])
      await app.request('/no-cache')
      const again = await app.request('/no-cache')
      expect([again.status, again.text, again.header('x-cache')]).toEqual([200, 'the body', 'HIT'])
      expect(again.header('cache-status')).toMatch(/^cache; fwd=stale; fwd-status=304; ttl=(0|-1)$/)
      expect(seen).toEqual([undefined, '"v1"'])
    },
  },
]
