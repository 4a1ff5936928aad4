import { type RedisServerHandle, startPrivateRedis } from '@cache/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Answer, flightRows, getJson, postTo } from './testing/http-client.js'
import { type AppProcess, spawnApp } from './testing/spawn-app.js'

const TOKEN = 'outage-admin'
let redis: RedisServerHandle
let a: AppProcess
let b: AppProcess

beforeAll(async () => {
  // A private server: this file kills and restarts it.
  redis = await startPrivateRedis()
  const env = { REDIS_URL: redis.url, ADMIN_TOKEN: TOKEN, FLIGHTS_ROWS: '1000' }
  ;[a, b] = await Promise.all([spawnApp(env), spawnApp(env)])
})
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  await redis?.stop()
})

const flights = (app: AppProcess, ...distances: number[]) =>
  postTo(app.url, '/v1/predict/flight-delay', flightRows(...distances))
const health = (app: AppProcess) =>
  getJson<{ redis: { reachable: boolean; breaker: string } }>(app.url, '/healthz')

async function timed(request: Promise<Answer>): Promise<Answer & { ms: number }> {
  const started = performance.now()
  const answer = await request
  return { ...answer, ms: performance.now() - started }
}

describe('two replicas when Redis dies and comes back', () => {
  it('keep answering without Redis (memory tier and models), then share again once it returns', async () => {
    // Warm: a computes, b reads through Redis, so both hold the row in memory.
    expect((await flights(a, 3001)).cache).toBe('MISS')
    expect((await flights(b, 3001)).cache).toBe('HIT')

    await redis.kill()
    for (const app of [a, b]) {
      const cached = await timed(flights(app, 3001))
      expect(cached.status).toBe(200)
      expect(cached.cache).toBe('HIT')
      // Fail fast: no offline queue, a deadline on every Redis call, then the circuit breaker.
      expect(cached.ms).toBeLessThan(2000)
      const fresh = await timed(flights(app, app === a ? 3002 : 3003))
      expect(fresh.status).toBe(200)
      expect(fresh.cache).toBe('MISS')
      expect(fresh.ms).toBeLessThan(3000)
      const emb = await postTo(app.url, '/v1/embeddings', { input: `no redis ${app.url}` })
      expect(emb.status).toBe(200)
      expect((await health(app)).redis.reachable).toBe(false)
    }
    const stats = await getJson<{ backendErrors: Record<string, number> }>(a.url, '/cache/stats')
    expect(Object.values(stats.backendErrors).reduce((x, y) => x + y, 0)).toBeGreaterThan(0)
    expect(await (await fetch(`${a.url}/metrics`)).text()).toMatch(
      /ml_cache_backend_errors_total\{operation="\w+"\} [1-9]/,
    )

    await redis.restart()
    for (const app of [a, b]) {
      await expect.poll(async () => (await health(app)).redis.reachable, { timeout: 30_000 }).toBe(true)
    }
    // Shared again: what a computes now, b serves from Redis (once its breaker has closed).
    let distance = 4000
    await expect
      .poll(
        async () => {
          distance++
          await flights(a, distance)
          return (await flights(b, distance)).cache
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe('HIT')
    // And invalidations reach the other replica again (the bus has resubscribed).
    await expect
      .poll(
        async () => {
          distance++
          await flights(a, distance)
          await flights(b, distance)
          await postTo(
            a.url,
            '/cache/invalidate',
            { model: 'flight-delay-knn' },
            { authorization: `Bearer ${TOKEN}` },
          )
          return (await flights(b, distance)).cache
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe('MISS')
  })
})
