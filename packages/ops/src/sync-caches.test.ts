import { createCache, MemoryStore } from '@cache/core'
import { encodeEntry } from '@cache/core/layout'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportEntries } from './export-entries.js'
import { keyvMemoryStore, useTempDir } from './ops-test-helpers.js'
import { snapshotFile } from './snapshot-file.js'
import { syncCaches } from './sync-caches.js'

const tmp = useTempDir()
beforeAll(() => tmp.ready)

/** Two stores: a, b and c only local; d and e only remote; both hold `shared` with different values. */
async function sides() {
  const local = keyvMemoryStore()
  const remote = keyvMemoryStore()
  const l = createCache({ namespace: 'app', store: local, memory: false })
  const r = createCache({ namespace: 'app', store: remote, memory: false })
  await l.set('a', 1)
  await l.set('b', new Float32Array([1, 2]))
  await l.namespace('m').set('c', 'model output', { tags: ['version:v1'] })
  await r.set('d', 4, { tags: ['user:4'] })
  await r.namespace('m').set('e', 'old model output', { tags: ['version:v0'] })
  await l.set('shared', 'local value')
  await r.set('shared', 'remote value')
  return { local, remote, l, r }
}

async function keysOf(store: ReturnType<typeof keyvMemoryStore>): Promise<string[]> {
  const keys: string[] = []
  for await (const e of exportEntries(store)) keys.push(e.key)
  return keys.sort()
}

describe('syncCaches', () => {
  it('both: each side gets what it lacks; a key on both sides is never overwritten', async () => {
    const { local, remote, l, r } = await sides()
    const result = await syncCaches(local, remote)
    expect(result).toMatchObject({ pulled: 2, pushed: 3, skipped: 0, unchanged: 1, dryRun: false })
    const all = ['app/m:c', 'app/m:e', 'app:a', 'app:b', 'app:d', 'app:shared']
    expect(await keysOf(local)).toEqual(all)
    expect(await keysOf(remote)).toEqual(all)
    expect(await l.get('shared')).toBe('local value')
    expect(await r.get('shared')).toBe('remote value')
    expect(await l.get('b')).toEqual(new Float32Array([1, 2]))
    // A second sync finds nothing to do.
    expect(await syncCaches(local, remote)).toMatchObject({ pulled: 0, pushed: 0, unchanged: 6 })
    // Tags travel qualified, so an invalidation on the local side reaches the pulled entry. (Sync
    // has no tombstones: the next sync would pull it back from the remote, like EDSL's.)
    await l.invalidateTags(['user:4'])
    expect(await l.get('d')).toBeUndefined()
  })

  it('pull and push copy one way only', async () => {
    const a = await sides()
    expect(await syncCaches(a.local, a.remote, { direction: 'pull' })).toMatchObject({
      pulled: 2,
      pushed: 0,
      unchanged: 1,
    })
    expect(await keysOf(a.remote)).toEqual(['app/m:e', 'app:d', 'app:shared'])
    const b = await sides()
    expect(await syncCaches(b.local, b.remote, { direction: 'push' })).toMatchObject({
      pulled: 0,
      pushed: 3,
      unchanged: 1,
    })
    expect(await keysOf(b.local)).toEqual(['app/m:c', 'app:a', 'app:b', 'app:shared'])
  })

  it('dry run counts without writing', async () => {
    const { local, remote } = await sides()
    const result = await syncCaches(local, remote, { dryRun: true })
    expect(result).toMatchObject({ pulled: 2, pushed: 3, unchanged: 1, dryRun: true })
    expect(await keysOf(remote)).toHaveLength(3)
  })

  it('skips and counts entries of a model version that is not accepted, on either side', async () => {
    const { local, remote } = await sides()
    const skipped: string[] = []
    const result = await syncCaches(local, remote, {
      modelVersion: 'v1',
      onSkip: (e) => skipped.push(`${e.from}:${e.key}:${e.reason}`),
    })
    expect(result).toMatchObject({ pulled: 1, pushed: 3, skipped: 1, skippedBy: { version: 1 } })
    expect(skipped).toEqual(['remote:app/m:e:version'])
    expect(await keysOf(local)).not.toContain('app/m:e')
  })

  it('skips entries of another codec version and never overwrites with them', async () => {
    const { local, remote } = await sides()
    const now = Date.now()
    const newer = encodeEntry({
      value: 1,
      createdAt: now,
      expiresAt: now + 60_000,
      staleUntil: now + 60_000,
      tags: [],
    })
    newer[2] = 9
    await remote.set('app:future', newer, 60_000)
    await remote.set('app:a', newer, 60_000)
    const result = await syncCaches(local, remote, { direction: 'pull' })
    expect(result.skippedBy.codec).toBe(2)
    expect(await local.get('app:future')).toBeUndefined()
    expect(Buffer.from((await local.get('app:a'))!)[2]).toBe(1)
  })

  it('limits a sync to a namespace', async () => {
    const { local, remote } = await sides()
    const result = await syncCaches(local, remote, { namespace: 'app/m' })
    expect(result).toMatchObject({ pulled: 1, pushed: 1, unchanged: 0 })
  })

  it('syncs with a snapshot file: creates it, appends to it, reads from it', async () => {
    const { local, remote } = await sides()
    const file = snapshotFile(tmp.path('sync.jsonl'))
    expect(await syncCaches(local, file, { direction: 'push' })).toMatchObject({ pushed: 4 })
    expect(await syncCaches(remote, file)).toMatchObject({ pulled: 3, pushed: 2, unchanged: 1 })
    const fresh = keyvMemoryStore()
    expect(await syncCaches(fresh, file, { direction: 'pull' })).toMatchObject({ pulled: 6 })
  })

  it('refuses an unknown direction and a store that cannot list its keys', async () => {
    const { local, remote } = await sides()
    await expect(syncCaches(local, remote, { direction: 'sideways' as 'both' })).rejects.toThrow(/direction/)
    const inner = new MemoryStore()
    // A store with only the contract's methods: nothing to list keys with.
    const unlisted = {
      name: 'unlisted',
      contractVersion: 1 as const,
      capabilities: inner.capabilities,
      get: inner.get.bind(inner),
      getMany: inner.getMany.bind(inner),
      set: inner.set.bind(inner),
      setMany: inner.setMany.bind(inner),
      delete: inner.delete.bind(inner),
      invalidateTags: inner.invalidateTags.bind(inner),
      clear: inner.clear.bind(inner),
      close: inner.close.bind(inner),
    }
    await expect(syncCaches(unlisted, remote)).rejects.toThrow(/cannot list its keys/)
  })
})

describe('syncCaches failures', () => {
  it('says how much was copied before a store failed', async () => {
    const local = keyvMemoryStore()
    const remote = keyvMemoryStore()
    const l = createCache({ namespace: 'app', store: local, memory: false })
    await l.setMany(Array.from({ length: 5 }, (_, i) => ({ key: `k${i}`, value: i })))
    let writes = 0
    const failing = Object.assign(Object.create(remote) as typeof remote, {
      setMany: async (w: Parameters<typeof remote.setMany>[0]) => {
        if (++writes > 1) throw new Error('disk full')
        return remote.setMany(w)
      },
    })
    await expect(syncCaches(local, failing, { direction: 'push', batchSize: 2 })).rejects.toThrow(
      /push into keyv failed after 0 pulled, 2 pushed: disk full/,
    )
  })
})
