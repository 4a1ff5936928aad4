import { commandCalls, PATIENT_REMOTE, startPrivateRedis, useRedis } from '@cache/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCache } from '../../create-cache.js'
import { RedisStore } from './redis-store.js'

const redis = useRedis()

describe('RedisStore on a shared server', () => {
  let store: RedisStore
  beforeAll(async () => {
    store = new RedisStore({ url: redis.url, keyPrefix: redis.prefix })
    await store.ready()
  })
  afterAll(async () => {
    await store.close()
  })

  it('stores binary values as Buffers: the raw Redis value is the envelope bytes, not JSON', async () => {
    const cache = createCache({ namespace: 'bin', store, memory: false, remote: PATIENT_REMOTE })
    const embedding = new Float32Array([0.25, -0, Number.NaN, 1e-30])
    const buf = Buffer.from([0, 255, 1, 254, 0x7b, 0x22])
    await cache.set('emb', embedding)
    await cache.set('buf', buf)
    const raw = await redis.client().getBuffer(`${redis.prefix}bin:buf`)
    expect(raw).toBeInstanceOf(Buffer)
    expect(raw!.includes(buf)).toBe(true) // the bytes travel as they are, not base64/JSON-escaped
    const back = await cache.get<Float32Array>('emb')
    expect(back).toBeInstanceOf(Float32Array)
    expect(Buffer.from(back!.buffer, back!.byteOffset, back!.byteLength)).toEqual(
      Buffer.from(embedding.buffer),
    )
    const b2 = await cache.get<Buffer>('buf')
    expect(Buffer.isBuffer(b2)).toBe(true)
    expect(b2).toEqual(buf)
    // With a memory tier, the value read from Redis is kept there: it owns its memory, so it
    // never holds a pooled slab alive while cached (with none, a pooled copy is handed out).
    const tiered = createCache({ namespace: 'bin', store, remote: PATIENT_REMOTE })
    const kept = await tiered.get<Buffer>('buf')
    expect(kept).toEqual(buf)
    expect(kept!.buffer.byteLength).toBe(buf.byteLength)
    expect(tiered.peek('buf')).toBe(kept)
  })

  it('keys stay under 256 bytes whatever the input, and stay distinct', async () => {
    const long = `ns:${'é'.repeat(5000)}`
    const rk = store.redisKey(long)
    expect(Buffer.byteLength(rk)).toBeLessThan(256)
    expect(store.redisKey(`${long}x`)).not.toBe(rk)
    expect(store.redisKey('ns:\uD800')).not.toBe(store.redisKey('ns:\uFFFD'))
    expect(store.redisKey('ns:short')).toBe(`${redis.prefix}ns:short`)
    await store.set(long, Buffer.from('v'), 10_000)
    expect(Buffer.from((await store.get(long))!).toString()).toBe('v')
    // a long key keeps its readable head, so a prefix clear still finds it
    expect(await store.clear('ns:')).toBe(1)
  })

  it('tag sets carry a TTL at least as long as their entries', async () => {
    await store.set('tagged:a', Buffer.from('1'), 60_000, ['t1'])
    await store.set('tagged:b', Buffer.from('2'), 120_000, ['t1'])
    const pttl = await redis.client().pttl(`${redis.prefix}__tag:t1`)
    expect(pttl).toBeGreaterThan(110_000)
    expect(pttl).toBeLessThanOrEqual(120_000)
  })

  it('tag sets shed members that no longer exist, so churn does not grow them', async () => {
    for (let i = 0; i < 200; i++) {
      await store.set(`churn:${i}`, Buffer.from('x'), 60_000, ['churn'])
      await store.delete(`churn:${i}`)
    }
    const size = await redis.client().scard(`${redis.prefix}__tag:churn`)
    expect(size).toBeLessThan(60)
  })

  it('reports namespace entries and server facts in one call each', async () => {
    const cache = createCache({ namespace: 'ops', store, remote: PATIENT_REMOTE })
    await cache.setMany([1, 2, 3].map((i) => ({ key: `k${i}`, value: i })))
    expect(await store.count('ops:')).toBe(3)
    const inspection = await cache.inspect()
    expect(inspection.store).toMatchObject({ name: 'redis', entries: 3 })
    expect(inspection.store?.serverVersion).toMatch(/^\d+\.\d+/)
    expect(inspection.store?.connectedClients).toBeGreaterThanOrEqual(1)
    expect(await cache.clearMatching('k[12]')).toBe(0) // globs are literal apart from * and ?
    expect(await cache.clearMatching('k?')).toBe(3)
    expect(await store.count('ops:')).toBe(0)
    await cache.setMany([1, 2, 3].map((i) => ({ key: `k${i}`, value: i })))
    const info = await store.serverInfo()
    expect(info.version).toMatch(/^\d+\.\d+/)
    expect(info.uptimeSeconds).toBeGreaterThanOrEqual(0)
    expect(info.usedMemoryBytes).toBeGreaterThan(0)
    expect(info.connectedClients).toBeGreaterThanOrEqual(1)
  })

  it('closes only what it created', async () => {
    const client = redis.client()
    const adopted = new RedisStore({ client, keyPrefix: redis.prefix })
    await adopted.close()
    expect(await client.ping()).toBe('PONG')
    const own = new RedisStore({ url: redis.url, keyPrefix: redis.prefix })
    await own.ready()
    await own.close()
    expect(own.client.status).toBe('end')
  })

  it('refuses bad connection options at setup', () => {
    expect(() => new RedisStore({})).toThrow(expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }))
    expect(() => new RedisStore({ url: 'http://x' })).toThrow(
      expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }),
    )
    expect(() => new RedisStore({ url: 'not a url' })).toThrow(
      expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' }),
    )
  })
})

describe('RedisStore round trips (private server, INFO commandstats)', () => {
  it('getMany is one MGET, setMany one pipeline, clear uses SCAN + UNLINK and never KEYS', async () => {
    const server = await startPrivateRedis()
    const store = new RedisStore({ url: server.url })
    try {
      await store.ready()
      const admin = server.client()
      const calls = async (cmd: string) => (await commandCalls(admin))(cmd)
      const cache = createCache({ namespace: 'rt', store, memory: false, remote: PATIENT_REMOTE })
      await admin.config('RESETSTAT')
      await cache.setMany(Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: i })))
      // One write script per entry (value, tag list and generation together), in one pipeline.
      expect(await calls('set')).toBe(200)
      expect((await calls('evalsha')) + (await calls('eval'))).toBeGreaterThanOrEqual(100)
      await admin.config('RESETSTAT')
      const values = await cache.getMany(Array.from({ length: 100 }, (_, i) => `k${i}`))
      expect(values).toEqual(Array.from({ length: 100 }, (_, i) => i))
      expect(await calls('mget')).toBe(1)
      expect(await calls('get')).toBe(0)
      await cache.clear()
      expect(await calls('keys')).toBe(0)
      expect(await calls('scan')).toBeGreaterThanOrEqual(1)
      expect(await calls('unlink')).toBeGreaterThanOrEqual(1)
      expect(await store.count('rt:')).toBe(0)
    } finally {
      await store.close()
      await server.stop()
    }
  })
})

describe('RedisStore read coalescing (private server, command counts)', () => {
  it('concurrent gets of distinct keys share MGETs of at most 128 keys; a lone get is one GET', async () => {
    const server = await startPrivateRedis()
    const store = new RedisStore({ url: server.url })
    const cache = createCache({ namespace: 'co', store, memory: false, remote: PATIENT_REMOTE })
    try {
      await store.ready()
      const keys = Array.from({ length: 300 }, (_, i) => `k${i}`)
      // every third key is missing, one holds a foreign non-string value
      await cache.setMany(keys.filter((_, i) => i % 3 !== 0).map((key) => ({ key, value: { key } })))
      await server.client().sadd('co:k3', 'not a cache entry')
      const admin = server.client()
      await admin.config('RESETSTAT')
      const values = await Promise.all(keys.map((k) => cache.get<{ key: string }>(k)))
      expect(values).toEqual(keys.map((key, i) => (i % 3 === 0 ? undefined : { key })))
      const calls = await commandCalls(admin)
      expect(calls('mget')).toBe(3) // 128 + 128 + 44
      expect(calls('get')).toBe(0)
      expect(cache.stats().tiers.remote).toMatchObject({ hits: 200, misses: 100, errors: 0 })

      await admin.config('RESETSTAT')
      expect(await cache.get('k1')).toEqual({ key: 'k1' })
      const after = await commandCalls(admin)
      expect([after('get'), after('mget')]).toEqual([1, 0])
    } finally {
      await cache.close()
      await server.stop()
    }
  })
})
