import { findFreePort, PATIENT_REMOTE, startRedis } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { DEADLINE, until, useFaultHarness } from '../../../test/fault-harness.js'
import type { CacheOptions } from '../../options.js'
import { RedisStore } from './redis-store.js'

// Every call must finish within the deadline plus a generous margin for a loaded 2-core machine.
const BOUND = DEADLINE * 2 + 800

const h = useFaultHarness()
const cacheOn = (url: string, extra?: CacheOptions) => h.cacheNow(url, extra)
const server = (config?: Record<string, string | number>) => h.server(config)

/** Runs `fn`, asserting it completes within the bound, and returns its value. */
async function timed<T>(fn: () => Promise<T>): Promise<T> {
  const started = performance.now()
  const value = await fn()
  expect(performance.now() - started).toBeLessThan(BOUND)
  return value
}

describe('Redis faults: calls complete within deadline + margin with correct values', () => {
  it('Redis down at start, then up: no process restart needed', async () => {
    const port = await findFreePort()
    const { cache, store } = cacheOn(`redis://127.0.0.1:${port}`, { memory: false })
    let loads = 0
    for (let i = 0; i < 5; i++)
      expect(await timed(() => cache.getOrSet('k', () => `v${++loads}`))).toBe(`v${loads}`)
    expect(cache.stats().errors).toBeGreaterThan(0)
    const s = await startRedis({ port })
    h.defer(() => s.stop())
    await until(async () => store.client.status === 'ready')
    await until(async () => {
      await cache.set('after', 'up')
      return (await s.client().get('f:after')) !== null
    })
    expect(await timed(() => cache.get('after'))).toBe('up')
  })

  it('Redis killed in the middle of a load', async () => {
    const s = await server()
    const { cache, store } = cacheOn(s.url)
    await store.ready()
    const value = await timed(() =>
      cache.getOrSet('k', async () => {
        await s.kill()
        return 'computed'
      }),
    )
    expect(value).toBe('computed')
    // served from L1 while Redis is dead
    expect(await timed(() => cache.getOrSet('k', () => 'again'))).toBe('computed')
    expect(await timed(() => cache.getOrSet('other', () => 'fresh'))).toBe('fresh')
    expect(cache.stats().tiers.remote?.errors).toBeGreaterThan(0)
  })

  it('Redis restarted: the store recovers by itself', async () => {
    const s = await server()
    const { cache, store } = cacheOn(s.url, { memory: false })
    await store.ready()
    await cache.set('k', 'before')
    await s.restart() // a fresh, empty server on the same port
    expect(await timed(() => cache.getOrSet('k', () => 'reloaded'))).toBe('reloaded')
    await until(async () => store.client.status === 'ready')
    await until(async () => {
      await cache.set('k2', 'v')
      return (await s.client().get('f:k2')) !== null
    })
    expect(await timed(() => cache.get('k2'))).toBe('v')
    expect(cache.stats().tiers.remote?.breaker).toBe('closed')
  })

  it('Redis paused (CLIENT PAUSE): each call is cut at the deadline', async () => {
    const s = await server()
    const { cache, store } = cacheOn(s.url, { memory: false })
    await store.ready()
    await cache.set('k', 'cached')
    await s.pause(3000)
    expect(await timed(() => cache.get('k'))).toBeUndefined()
    expect(await timed(() => cache.getOrSet('k2', () => 'loader'))).toBe('loader')
    expect(cache.stats().errors).toBeGreaterThanOrEqual(2)
  })

  it('a store used without a cache: no per-command timer by default, commandTimeout when asked', async () => {
    const s = await server()
    const plain = new RedisStore({ url: s.url })
    const timed = new RedisStore({ url: s.url, commandTimeout: 100 })
    h.defer(() => plain.close())
    h.defer(() => timed.close())
    await Promise.all([plain.ready(), timed.ready()])
    expect((plain.client as { options: { commandTimeout?: number } }).options.commandTimeout).toBeUndefined()
    await s.pause(1500)
    const started = performance.now()
    await expect(timed.get('k')).rejects.toThrow(/timed out/i)
    expect(performance.now() - started).toBeLessThan(1000)
    // Without it, the command waits for Redis (a cache cuts it at its own deadline instead).
    expect(await plain.get('k')).toBeUndefined()
    expect(performance.now() - started).toBeGreaterThan(1000)
  })

  it('Redis paused: 300 concurrent gets (coalesced into MGETs) are all cut at the deadline', async () => {
    const s = await server()
    const { cache, store } = cacheOn(s.url, { memory: false })
    await store.ready()
    const keys = Array.from({ length: 300 }, (_, i) => `c${i}`)
    // The entries are written by another instance with a patient deadline: 300 write scripts can
    // take longer than the 200 ms one on a busy machine, and a write cut there would count an
    // error of its own (and queue an invalidation that retries during the pause).
    const { cache: writer } = cacheOn(s.url, { memory: false, remote: PATIENT_REMOTE })
    await writer.setMany(keys.map((key) => ({ key, value: key })))
    expect(writer.stats().errors).toBe(0)
    await s.pause(3000)
    const values = await timed(() => Promise.all(keys.map((k) => cache.get(k))))
    expect(values).toEqual(keys.map(() => undefined))
    // every caller's read failed and was counted once, under its own key
    expect(cache.stats().tiers.remote?.errors).toBe(300)
  })

  it('Redis with a wrong password: every call answers from the loader, fast', async () => {
    const s = await server({ requirepass: 'right' })
    const { cache } = cacheOn(`redis://:wrong@127.0.0.1:${s.port}`)
    for (let i = 0; i < 5; i++) expect(await timed(() => cache.getOrSet(`k${i}`, () => i))).toBe(i)
    expect(await timed(() => cache.getOrSet('k1', () => 'not called'))).toBe(1) // L1 still works
    expect(cache.stats().errors).toBeGreaterThan(0)
  })

  it('Redis flushed by someone else: entries are misses and reload', async () => {
    const s = await server()
    // What is checked is the flush, not deadlines: a call late on a busy machine is no fault here.
    const { cache, store } = cacheOn(s.url, { memory: false, remote: PATIENT_REMOTE })
    await store.ready()
    await cache.set('k', 'v1')
    await s.flushall()
    expect(await timed(() => cache.getOrSet('k', () => 'v2'))).toBe('v2')
    expect(await cache.get('k')).toBe('v2')
    expect(cache.stats().errors).toBe(0)
  })

  it('Redis evicting under maxmemory: values stay correct', async () => {
    const s = await server({ maxmemory: '2mb', 'maxmemory-policy': 'allkeys-lru' })
    // What is checked is eviction, not deadlines: a 10 kB write late on a busy machine is no fault here.
    const { cache, store } = cacheOn(s.url, { memory: false, remote: { timeout: 5000 } })
    await store.ready()
    const big = (i: number) => `${i}:${'x'.repeat(10_000)}`
    for (let i = 0; i < 500; i++) await cache.set(`k${i}`, big(i))
    const info = await s.client().info('stats')
    expect(Number(/evicted_keys:(\d+)/.exec(info)?.[1])).toBeGreaterThan(0)
    for (let i = 0; i < 500; i += 25) expect(await cache.getOrSet(`k${i}`, () => big(i))).toBe(big(i))
    expect(cache.stats().errors).toBe(0)
  })

  it('the breaker stops calling a dead Redis, then probes it again', async () => {
    const s = await server()
    const { cache, store } = cacheOn(s.url, { memory: false })
    await store.ready()
    await s.kill()
    for (let i = 0; i < 5; i++) await cache.get(`k${i}`)
    expect(cache.stats().tiers.remote?.breaker).toBe('open')
    await s.restart()
    await until(async () => store.client.status === 'ready')
    // Probes pass once the breaker's reset time has: one that succeeds closes it.
    await until(async () => {
      await cache.get('probe')
      return cache.stats().tiers.remote?.breaker === 'closed'
    })
  })
})
