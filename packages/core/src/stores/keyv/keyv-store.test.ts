import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeStoreConformance, invalidOption, PATIENT_REMOTE } from '@cache/test-utils'
import KeyvSqlite from '@keyv/sqlite'
import { Keyv } from 'keyv'
import { afterAll, describe, expect, it } from 'vitest'
import { createCache } from '../../create-cache.js'
import { KeyvStore } from './keyv-store.js'

const dir = mkdtempSync(join(tmpdir(), 'keyv-store-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
let n = 0
const sqliteUri = () => `sqlite://${join(dir, `cache-${++n}.sqlite`)}`

describeStoreConformance('KeyvStore (Keyv in memory)', async () => ({
  store: new KeyvStore(new Keyv()),
  prefix: 'kv:',
}))

describeStoreConformance('KeyvStore (@keyv/sqlite on disk)', async () => ({
  store: new KeyvStore(new Keyv({ store: new KeyvSqlite(sqliteUri()) }), { persistent: true }),
  prefix: 'kv:',
}))

describe('KeyvStore', () => {
  it('needs a Keyv instance, and refuses unknown options', async () => {
    for (const notKeyv of [{}, undefined, new Map(), new KeyvSqlite(sqliteUri())]) {
      expect(await invalidOption(() => new KeyvStore(notKeyv as never))).toMatch(
        /KeyvStore needs a Keyv instance: .*new Keyv\(\{ store: /,
      )
    }
    expect(await invalidOption(() => new KeyvStore(new Keyv(), { persistant: true } as never))).toMatch(
      /Unknown option "persistant" in KeyvStore options: did you mean "persistent"/,
    )
    const store = new KeyvStore(new Keyv(), { shared: false, persistent: false })
    await store.close()
  })

  it('keeps a cache across restarts on SQLite, with no server', async () => {
    const uri = sqliteUri()
    const faults: unknown[] = []
    // The subject is persistence, not the store deadline: a disk on a busy machine may take
    // longer than the production budget per call.
    const first = createCache({
      namespace: 'app',
      store: new KeyvStore(new Keyv({ store: new KeyvSqlite(uri) }), { persistent: true }),
      remote: PATIENT_REMOTE,
    })
    first.on('error', (e) => faults.push(e.error))
    await first.set('embedding', new Float32Array([1.5, -2, 0.25]), { ttl: '1h', tags: ['model:v1'] })
    await first.close()
    const second = createCache({
      namespace: 'app',
      store: new KeyvStore(new Keyv({ store: new KeyvSqlite(uri) }), { persistent: true }),
      remote: PATIENT_REMOTE,
    })
    second.on('error', (e) => faults.push(e.error))
    const back = await second.get<Float32Array>('embedding')
    expect(faults).toEqual([])
    expect(back).toBeInstanceOf(Float32Array)
    expect([...back!]).toEqual([1.5, -2, 0.25])
    await second.invalidateTags(['model:v1'])
    expect(await second.get('embedding')).toBeUndefined()
    await second.close()
    expect(faults).toEqual([])
  })

  it('surfaces store errors instead of turning them into silent misses', async () => {
    const broken = new Map<string, unknown>()
    const failing = {
      get: () => {
        throw new Error('disk on fire')
      },
      set: () => {
        throw new Error('disk on fire')
      },
      delete: () => false,
      clear: () => undefined,
      has: () => false,
      entries: () => broken.entries(),
    }
    const store = new KeyvStore(new Keyv({ store: failing as never }))
    await expect(store.get('k')).rejects.toThrow('disk on fire')
    const cache = createCache({ store })
    const codes: string[] = []
    cache.on('error', (e) => codes.push((e.error as { code?: string }).code ?? ''))
    expect(await cache.getOrSet('k', () => 'from loader')).toBe('from loader')
    expect(codes).toContain('ERR_CACHE_STORE')
    expect(cache.stats().tiers.remote?.errors).toBeGreaterThan(0)
  })
})
