import { describe, expect, it } from 'vitest'
import { createCache } from './create-cache.js'
import { MemoryStore } from './stores/memory-store.js'
import { globToRegExp } from './stores/store.js'

describe('operations from one call each', () => {
  it('prewarm fills the cache in batches before traffic arrives', async () => {
    const store = new MemoryStore()
    const cache = createCache({ store })
    async function* rows() {
      for (let i = 0; i < 1234; i++) yield { key: `k${i}`, value: i, tags: ['warm'] }
    }
    expect(await cache.prewarm(rows(), { batchSize: 100 })).toBe(1234)
    expect(await cache.get('k1233')).toBe(1233)
    expect(store.usage.entries).toBe(1234)
    expect(cache.stats().sets).toBe(1234)
  })

  it('inspect reports counters and the store facts of this namespace', async () => {
    const cache = createCache({ namespace: 'app', store: new MemoryStore() })
    await cache.namespace('users').setMany([1, 2, 3].map((i) => ({ key: `u${i}`, value: i })))
    await cache.namespace('posts').set('p1', 1)
    await cache.namespace('users').get('u1')
    const users = await cache.namespace('users').inspect()
    expect(users.namespace).toBe('app/users')
    expect(users.store?.entries).toBe(3)
    expect(users.store?.memoryBytes).toBeGreaterThan(0)
    expect(users.stats.hits).toBe(1)
    expect(users.stats.tiers.remote?.breaker).toBe('closed')
    expect((await cache.inspect()).store?.entries).toBe(4)
  })

  it('clearMatching removes matching keys of the namespace only, in both tiers', async () => {
    const store = new MemoryStore()
    const cache = createCache({ namespace: 'app', store })
    await cache.setMany(['user:1', 'user:2', 'post:1'].map((key) => ({ key, value: key })))
    await cache.namespace('other').set('user:9', 'x')
    expect(await cache.clearMatching('user:*')).toBe(2)
    expect(await cache.getMany(['user:1', 'user:2', 'post:1'])).toEqual([undefined, undefined, 'post:1'])
    expect(await cache.namespace('other').get('user:9')).toBe('x')
  })

  it('globs are literal except * and ?', () => {
    expect(globToRegExp('a*b?').test('a-x-bc')).toBe(true)
    expect(globToRegExp('a.b').test('axb')).toBe(false)
    expect(globToRegExp('a\\*').test('a*')).toBe(true)
    expect(globToRegExp('a\\*').test('ab')).toBe(false)
  })
})
