import { useRedis } from '@cache/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { flightRows, getJson, postTo } from './testing/http-client.js'
import { type AppProcess, spawnApp } from './testing/spawn-app.js'

const TOKEN = 'replica-admin'
const redis = useRedis()
let a: AppProcess
let b: AppProcess

beforeAll(async () => {
  // Two real processes, as two replicas would be, on the shared test Redis under this file's prefix.
  // A generous Redis deadline: what is pinned here is sharing and the cross-process lease, not how
  // fast a busy machine answers; at 250 ms a lease call can miss it and both replicas load alone.
  const env = {
    REDIS_URL: redis.url,
    REDIS_KEY_PREFIX: redis.prefix,
    REDIS_TIMEOUT_MS: '5000',
    ADMIN_TOKEN: TOKEN,
    FLIGHTS_ROWS: '1000',
  }
  ;[a, b] = await Promise.all([spawnApp(env), spawnApp(env)])
})
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
})

const flights = (app: AppProcess, ...distances: number[]) =>
  postTo(app.url, '/v1/predict/flight-delay', flightRows(...distances))
const admin = { authorization: `Bearer ${TOKEN}` }
const computed = async (app: AppProcess) =>
  (await getJson<{ itemsComputed: number }>(app.url, '/cache/stats')).itemsComputed

describe('two replicas on one Redis', () => {
  it('report Redis in their health', async () => {
    for (const app of [a, b]) {
      expect(await getJson(app.url, '/healthz')).toMatchObject({
        status: 'ok',
        cache: 'redis',
        redis: { reachable: true, breaker: 'closed' },
      })
    }
  })

  it('share hits: what one computed, the other serves', async () => {
    const first = await flights(a, 1001, 1002)
    expect(first.cache).toBe('MISS')
    const second = await flights(b, 1002, 1001)
    expect(second.cache).toBe('HIT')
    expect((second.body as { predictions: unknown[] }).predictions).toEqual(
      [...(first.body as { predictions: unknown[] }).predictions].reverse(),
    )
    const embA = await postTo(a.url, '/v1/embeddings', { input: 'shared between replicas' })
    const embB = await postTo(b.url, '/v1/embeddings', { input: 'shared between replicas' })
    expect([embA.cache, embB.cache]).toEqual(['MISS', 'HIT'])
    expect(embB.body).toEqual(embA.body)
    expect(await computed(b)).toBe(0)
  })

  it('compute an item asked of both at once only once in total', async () => {
    const before = (await computed(a)) + (await computed(b))
    // An embedding (~20 ms to compute) rather than a k-NN row on 1000 rows (well under 1 ms): the
    // cross-process lease is what is tested, not how fast a replica can finish before the other starts.
    const ask = (app: AppProcess) =>
      postTo(app.url, '/v1/embeddings', { input: 'asked of both replicas at once' })
    const answers = await Promise.all([ask(a), ask(b), ask(a), ask(b)])
    expect(answers.map((x) => x.status)).toEqual([200, 200, 200, 200])
    expect(new Set(answers.map((x) => JSON.stringify(x.body))).size).toBe(1)
    expect((await computed(a)) + (await computed(b)) - before).toBe(1)
  })

  it('see an invalidation made on the other replica', async () => {
    await flights(a, 2001)
    await postTo(a.url, '/v1/embeddings', { input: 'invalidate across' })
    // Both replicas now hold the items in their memory tier.
    expect((await flights(b, 2001)).cache).toBe('HIT')
    expect((await postTo(b.url, '/v1/embeddings', { input: 'invalidate across' })).cache).toBe('HIT')

    const res = await postTo(a.url, '/cache/invalidate', { model: 'flight-delay-knn' }, admin)
    expect(res.status).toBe(200)
    await expect.poll(async () => (await flights(b, 2001)).cache, { timeout: 30_000 }).toBe('MISS')
    // The other model was left alone.
    expect((await postTo(b.url, '/v1/embeddings', { input: 'invalidate across' })).cache).toBe('HIT')

    const cleared = await fetch(`${b.url}/cache`, { method: 'DELETE', headers: admin })
    expect(cleared.status).toBe(200)
    await expect
      .poll(async () => (await postTo(a.url, '/v1/embeddings', { input: 'invalidate across' })).cache, {
        timeout: 30_000,
      })
      .toBe('MISS')
  })
})
