import { randomUUID } from 'node:crypto'
import { PATIENT_REMOTE, useRedis } from '@cache/test-utils'
import { afterEach, describe, expect, it } from 'vitest'
import { type CacheWorker, eventually, spawnCacheWorker } from './cache-worker.js'

const redis = useRedis()
let workers: CacheWorker[] = []

async function spawnThree(env: Record<string, string> = {}) {
  const namespace = `mp${randomUUID().slice(0, 8)}`
  workers = await Promise.all(
    [0, 1, 2].map(() =>
      spawnCacheWorker({ REDIS_URL: redis.url, KEY_PREFIX: redis.prefix, NAMESPACE: namespace, ...env }),
    ),
  )
  // cache.ready(): Redis connected and the bus subscribed.
  await Promise.all(workers.map((w) => w.call('ready')))
  return workers
}

afterEach(async () => {
  await Promise.all(workers.map((w) => w.stop()))
  workers = []
})

describe('three processes sharing one Redis', () => {
  it('delete, invalidateTags, clear and overwriting set reach every other L1', async () => {
    const [a, b, c] = await spawnThree()
    await a!.call('set', { key: 'k', value: 'v1', options: { tags: ['t'] } })
    expect(await b!.call('get', { key: 'k' })).toBe('v1')
    expect(await c!.call('get', { key: 'k' })).toBe('v1')
    // overwriting set
    await a!.call('set', { key: 'k', value: 'v2', options: { tags: ['t'] } })
    await eventually(
      async () =>
        (await b!.call('get', { key: 'k' })) === 'v2' && (await c!.call('get', { key: 'k' })) === 'v2',
    )
    // delete
    await a!.call('delete', { key: 'k' })
    await eventually(
      async () =>
        (await b!.call('get', { key: 'k' })) === undefined &&
        (await c!.call('get', { key: 'k' })) === undefined,
    )
    // tags
    await a!.call('set', { key: 'k', value: 'v3', options: { tags: ['t'] } })
    expect(await b!.call('get', { key: 'k' })).toBe('v3')
    await c!.call('invalidateTags', { tags: ['t'] })
    await eventually(
      async () =>
        (await b!.call('get', { key: 'k' })) === undefined &&
        (await a!.call('get', { key: 'k' })) === undefined,
    )
    // clear
    await a!.call('set', { key: 'k', value: 'v4' })
    expect(await b!.call('get', { key: 'k' })).toBe('v4')
    await b!.call('clear')
    await eventually(
      async () =>
        (await a!.call('get', { key: 'k' })) === undefined &&
        (await c!.call('get', { key: 'k' })) === undefined,
    )
  })

  it('3 processes × 20 callers of one cold key run the loader once in total', async () => {
    // A lease reply cut by a busy machine's slow Redis would let a second process load alone:
    // right in production (a stalled Redis), but not what this case is about.
    const ws = await spawnThree({ REMOTE_TIMEOUT: String(PATIENT_REMOTE.timeout) })
    const results = await Promise.all(
      ws.map((w) => w.call<{ by: number }[]>('getOrSetMany', { key: 'cold', concurrency: 20, loadMs: 300 })),
    )
    const calls = await Promise.all(ws.map((w) => w.call<number>('loaderCalls')))
    expect(calls.reduce((x, y) => x + y, 0)).toBe(1)
    const values = results.flat()
    expect(values).toHaveLength(60)
    expect(new Set(values.map((v) => JSON.stringify(v))).size).toBe(1)
  })

  it('a leader that crashes is replaced once its lease expires', async () => {
    const [a, b] = await spawnThree({ LEASE_TTL: '800', LEASE_WAIT: '20s' })
    const hung = a!.call('getOrSetMany', { key: 'crash', concurrency: 1, hang: true }).catch(() => 'killed')
    await eventually(async () => (await a!.call<number>('loaderCalls')) === 1) // a holds the lease
    const started = Date.now()
    const waiting = b!.call<{ by: number }[]>('getOrSetMany', { key: 'crash', concurrency: 5, loadMs: 10 })
    a!.kill() // before or after b asks, the lease a held stays until it expires
    const values = await waiting
    expect(await hung).toBe('killed')
    expect(values.every((v) => v.by === b!.pid)).toBe(true)
    // bounded by the lease TTL (800 ms) plus polling (with room for a busy machine), far below
    // the 20 s wait
    expect(Date.now() - started).toBeLessThan(10_000)
    expect(await b!.call('loaderCalls')).toBe(1)
  })

  it('a crashed leader is replaced within its heartbeat (about a second), not after lease.ttl', async () => {
    const [a, b] = await spawnThree() // lease.ttl and lease.wait: 10 s
    void a!.call('getOrSetMany', { key: 'gone', concurrency: 1, hang: true }).catch(() => {})
    await eventually(async () => (await a!.call<number>('loaderCalls')) === 1)
    const started = Date.now()
    const waiting = b!.call<{ by: number }[]>('getOrSetMany', { key: 'gone', concurrency: 3, loadMs: 10 })
    a!.kill()
    const values = await waiting
    expect(values.every((v) => v.by === b!.pid)).toBe(true)
    // About a second, with room for a busy machine: well below the 10 s lease.ttl.
    expect(Date.now() - started).toBeLessThan(7000)
  })

  it('waiters that wait past lease.wait run the loader themselves', async () => {
    const [a, b] = await spawnThree({ LEASE_TTL: '30s', LEASE_WAIT: '500' })
    void a!.call('getOrSetMany', { key: 'slow', concurrency: 1, gate: 'never' }).catch(() => {})
    await eventually(async () => (await a!.call<number>('loaderCalls')) === 1) // a holds the lease
    const values = await b!.call<{ by: number }[]>('getOrSetMany', {
      key: 'slow',
      concurrency: 3,
      loadMs: 10,
    })
    expect(values.every((v) => v.by === b!.pid)).toBe(true)
    expect(await b!.call('loaderCalls')).toBe(1)
  })

  it('an invalidation in another process wins over a load that started before it', async () => {
    const [a, b, c] = await spawnThree()
    const load = a!.call<{ by: number }[]>('getOrSetMany', { key: 'race', concurrency: 2, gate: 'g1' })
    await eventually(async () => (await a!.call<number>('loaderCalls')) === 1) // the load started
    await b!.call('delete', { key: 'race' })
    await a!.call('open-gate', { gate: 'g1' })
    const values = await load
    expect(values[0]!.by).toBe(a!.pid) // the load still answers its own callers
    // But nothing stays stored: not in L2 (c reads it), nor in a's own L1. A stored value would
    // stay, so waiting for its absence cannot pass by chance.
    await eventually(
      async () =>
        (await c!.call('get', { key: 'race' })) === undefined &&
        (await a!.call('get', { key: 'race' })) === undefined,
    )
  })
})
