import { createCache, MemoryStore } from '@cache/core'
import { describe, expect, it } from 'vitest'
import { exportEntries } from './export-entries.js'

describe('exportEntries from a Cache', () => {
  it('reads the cache’s own store (cache.store), limited to its namespace; MemoryStore lists its keys', async () => {
    const cache = createCache({ namespace: 'app', store: new MemoryStore() })
    await cache.namespace('users').setMany([1, 2].map((i) => ({ key: `u${i}`, value: i, tags: ['t'] })))
    await cache.namespace('posts').set('p1', 'x')
    const keys: string[] = []
    for await (const e of exportEntries(cache.namespace('users'))) keys.push(e.key)
    expect(keys.sort()).toEqual(['app/users:u1', 'app/users:u2'])
  })

  it('refuses a memory-only cache with a clear error', async () => {
    const iterate = async () => {
      for await (const _ of exportEntries(createCache())) break
    }
    await expect(iterate()).rejects.toMatchObject({
      code: 'ERR_CACHE_INVALID_OPTION',
      message: /memory-only/,
    })
  })
})
