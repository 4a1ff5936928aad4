import { describe, expect, it } from 'vitest'
import { createCache } from './create-cache.js'
import { errors } from './errors.js'

describe('wrap', () => {
  it('memoizes by arguments, canonically', async () => {
    const cache = createCache()
    let calls = 0
    const score = cache.wrap(async function score(input: { a: number; b: number }) {
      calls++
      return input.a + input.b
    })
    expect(await score({ a: 1, b: 2 })).toBe(3)
    expect(await score({ b: 2, a: 1 })).toBe(3)
    expect(await score({ a: 2, b: 2 })).toBe(4)
    expect(calls).toBe(2)
  })

  it('uses the key option and needs a name for anonymous functions', async () => {
    const cache = createCache()
    let calls = 0
    const fn = cache.wrap((id: number, _noise: number) => ++calls + id * 0, { name: 'byId', key: (id) => id })
    expect(await fn(1, 1)).toBe(1)
    expect(await fn(1, 2)).toBe(1)
    expect(() => cache.wrap(() => 1)).toThrow(
      expect.objectContaining({ code: errors.ERR_CACHE_INVALID_OPTION }),
    )
  })

  it('tags each result, fixed or from the arguments', async () => {
    const cache = createCache()
    let calls = 0
    const user = cache.wrap(async (id: string) => ({ id, at: ++calls }), {
      name: 'user',
      tags: (id) => [`user:${id}`],
    })
    const all = cache.wrap(async () => ++calls, { name: 'all', tags: ['users'] })
    await user('a')
    await user('b')
    await all()
    await cache.invalidateTags(['user:a'])
    expect(await user('a')).toEqual({ id: 'a', at: 4 })
    expect(await user('b')).toEqual({ id: 'b', at: 2 })
    expect(await all()).toBe(3)
    await cache.invalidateTags(['users'])
    expect(await all()).toBe(5)
  })
})
