import { describe, expect, it } from 'vitest'
import { createCache } from './create-cache.js'
import { errors } from './errors.js'

describe('getMany / setMany', () => {
  it('round-trips in order with holes', async () => {
    const cache = createCache()
    await cache.setMany<unknown>([
      { key: 'a', value: 1 },
      { key: 'b', value: 0, ttl: 1000 },
      { key: { q: 1 }, value: 'obj', tags: ['t'] },
    ])
    expect(await cache.getMany(['a', 'x', 'b', { q: 1 }, 'a'])).toEqual([1, undefined, 0, 'obj', 1])
    await cache.invalidateTags(['t'])
    expect(await cache.getMany([{ q: 1 }])).toEqual([undefined])
  })

  it('setMany is all-or-nothing on an unencodable value', async () => {
    const cache = createCache()
    const p = cache.setMany<unknown>([
      { key: 'a', value: 1 },
      { key: 'b', value: Symbol('no') },
    ])
    await expect(p).rejects.toMatchObject({ code: errors.ERR_CACHE_UNENCODABLE_VALUE })
    expect(await cache.get('a')).toBeUndefined()
  })
})
