import { createCache } from '@cache/core'
import { KeyvStore } from '@cache/core/keyv'
import { RedisStore } from '@cache/core/redis'
import { assertExact, PATIENT_REMOTE, until, useRedis } from '@cache/test-utils'
import { KeyvSqlite } from '@keyv/sqlite'
import { Keyv } from 'keyv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { exportEntries } from './export-entries.js'
import { importEntries } from './import-entries.js'
import { everyValueKind, useTempDir } from './ops-test-helpers.js'
import { publishStats, readPublishedStats } from './publish-stats.js'
import { exportSnapshot, importSnapshot } from './snapshot-ops.js'
import { syncCaches } from './sync-caches.js'

const redis = useRedis()
const tmp = useTempDir()
const stores: { close(): Promise<void> }[] = []

async function redisStore(sub: string): Promise<RedisStore> {
  const store = new RedisStore({ url: redis.url, keyPrefix: `${redis.prefix}${sub}:` })
  stores.push(store)
  await store.ready()
  return store
}

beforeAll(() => tmp.ready)
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()))
})

describe('ops over Redis', () => {
  it('round-trips every value kind Redis → snapshot file → another Redis prefix, with tags intact', async () => {
    const source = await redisStore('src')
    const cache = createCache({
      namespace: 'app',
      store: source,
      memory: false,
      compressThreshold: 1024,
      remote: PATIENT_REMOTE,
    })
    const values = everyValueKind()
    for (const [name, value] of Object.entries(values))
      await cache.set(name, value, { tags: [`kind:${name}`] })
    await cache.getOrSet('leased', async () => 'v') // leaves no lease key behind, but tag/kt keys exist
    const file = tmp.path('redis.jsonl')
    const out = await exportSnapshot(source, file, { namespace: 'app' })
    expect(out.entries).toBe(Object.keys(values).length + 1)

    const target = await redisStore('dst')
    const result = await importSnapshot(target, file)
    expect(result).toMatchObject({ imported: out.entries, skipped: 0 })
    const copy = createCache({ namespace: 'app', store: target, memory: false, remote: PATIENT_REMOTE })
    for (const [name, value] of Object.entries(values)) assertExact(await copy.get(name), value)
    const ttl = await redis.client().pttl(`${redis.prefix}dst:app:int`)
    expect(ttl).toBeGreaterThan(200_000) // the 5 min default TTL travelled with the entry
    await copy.invalidateTags(['kind:text'])
    expect(await copy.get('text')).toBeUndefined()
    expect(await copy.get('int')).toBe(2147483647)
  })

  it('copies Redis → Redis directly, long (digested) keys included', async () => {
    const source = await redisStore('long-src')
    const cache = createCache({ namespace: 'app', store: source, memory: false, remote: PATIENT_REMOTE })
    const longKey = 'k'.repeat(400)
    await cache.set(longKey, 'long')
    await cache.set('short', 'short')
    const target = await redisStore('long-dst')
    const result = await importEntries(target, exportEntries(source))
    expect(result.imported).toBe(2)
    // The digested Redis key is stable under a second bounding, so the copy is found by the same key.
    expect(
      await createCache({ namespace: 'app', store: target, memory: false, remote: PATIENT_REMOTE }).get(
        longKey,
      ),
    ).toBe('long')
  })

  it('syncs a persistent local store (SQLite Keyv) with Redis both ways, never overwriting', async () => {
    const sqlite = new KeyvStore(
      new Keyv({ store: new KeyvSqlite(`sqlite://${tmp.path('local.sqlite')}`) }),
      {
        persistent: true,
      },
    )
    stores.push(sqlite)
    const remote = await redisStore('sync')
    const l = createCache({ namespace: 'ml', store: sqlite, memory: false, remote: PATIENT_REMOTE })
    const r = createCache({ namespace: 'ml', store: remote, memory: false, remote: PATIENT_REMOTE })
    await l.set('laptop-only', new Float32Array([0.5, 1.5]), { tags: ['version:v2'] })
    await l.set('conflict', 'laptop')
    await r.set('server-only', { score: 0.9 }, { tags: ['version:v2'] })
    await r.set('old-model', { score: 0.1 }, { tags: ['version:v1'] })
    await r.set('conflict', 'server')

    const dry = await syncCaches(sqlite, remote, { modelVersion: 'v2', dryRun: true })
    expect(dry).toMatchObject({ pulled: 1, pushed: 1, skipped: 1, unchanged: 1 })
    const result = await syncCaches(sqlite, remote, { modelVersion: 'v2' })
    expect(result).toMatchObject({
      pulled: 1,
      pushed: 1,
      skipped: 1,
      skippedBy: { version: 1 },
      unchanged: 1,
    })
    expect(await l.get('server-only')).toEqual({ score: 0.9 })
    expect(await l.get('old-model')).toBeUndefined()
    expect(await r.get('laptop-only')).toEqual(new Float32Array([0.5, 1.5]))
    expect(await l.get('conflict')).toBe('laptop')
    expect(await r.get('conflict')).toBe('server')
  })

  it('skips the store internals (tag indexes) and foreign values when exporting', async () => {
    const store = await redisStore('internals')
    const cache = createCache({ namespace: 'app', store, memory: false, remote: PATIENT_REMOTE })
    await cache.set('a', 1, { tags: ['t'] })
    await redis.client().set(`${redis.prefix}internals:app:foreign`, 'plain text')
    const skipped: string[] = []
    const keys: string[] = []
    for await (const e of exportEntries(store, { onSkip: (s) => skipped.push(`${s.key}:${s.reason}`) }))
      keys.push(e.key)
    expect(keys).toEqual(['app:a'])
    expect(skipped).toEqual(['app:foreign:invalid'])
  })

  it('publishes the counters of an app for cachectl stats', async () => {
    const store = await redisStore('stats')
    const cache = createCache({ namespace: 'app', store, remote: PATIENT_REMOTE })
    await cache.get('missing')
    const stop = publishStats(cache, store, { instance: 'test-1', interval: 60_000 })
    stop()
    // The first publication is sent at once, without waiting for its reply.
    let published: Awaited<ReturnType<typeof readPublishedStats>> = []
    await until(async () => (published = await readPublishedStats(store, 'app')).length > 0)
    expect(published).toHaveLength(1)
    expect(published[0]).toMatchObject({ instance: 'test-1', stats: { misses: 1 } })
  })
})
