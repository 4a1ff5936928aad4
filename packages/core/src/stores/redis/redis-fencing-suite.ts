import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RedisStore } from './redis-store.js'

const bytes = (s: string) => Buffer.from(s)

/**
 * Store-level load fencing (generations, beginLoad, setFenced), run by the Redis conformance
 * file on a standalone server and on a cluster.
 */
export function describeLoadFencing(
  name: string,
  open: () => Promise<{ store: RedisStore; prefix: string }>,
) {
  describe(name, () => {
    let store: RedisStore
    let ns: string
    beforeAll(async () => {
      const opened = await open()
      store = opened.store
      ns = `${opened.prefix}fence${Math.random().toString(36).slice(2, 8)}`
    })
    afterAll(() => store.close())

    it('stores a load nothing overtook, and releases its lease in the same call', async () => {
      const key = `${ns}:a`
      const { token, fence } = await store.beginLoad(key, [`${ns}:t`], [`${ns}:`], 5000)
      expect(token).toBeDefined()
      expect(await store.leaseHeld(key)).toBe(true)
      expect(await store.setFenced(key, bytes('v'), 5000, [`${ns}:t`], fence, token)).toBe('stored')
      expect((await store.get(key))?.toString()).toBe('v')
      expect(await store.leaseHeld(key)).toBe(false)
    })

    it.each([
      ['delete', (s: RedisStore, key: string) => s.delete(key)],
      ['set', (s: RedisStore, key: string) => s.set(key, bytes('newer'), 5000)],
      ['invalidateTags', (s: RedisStore, key: string) => s.invalidateTags([`${key.split(':')[0]}:t`])],
      ['clear', (s: RedisStore, key: string) => s.clear(`${key.split(':')[0]}:`)],
    ])('refuses a load that %s overtook', async (_name, invalidate) => {
      const key = `${ns}:${Math.random().toString(36).slice(2, 8)}`
      const { token, fence } = await store.beginLoad(key, [`${ns}:t`], [`${ns}:`], 5000)
      await invalidate(store, key)
      expect(await store.setFenced(key, bytes('stale'), 5000, [`${ns}:t`], fence, token)).toBe('invalidated')
      expect((await store.get(key))?.toString()).not.toBe('stale')
      expect(await store.leaseHeld(key)).toBe(false)
    })

    it('an invalidation of a stamp tag drops the entry for every kind of read', async () => {
      const key = `${ns}:stamped`
      const tag = `${ns}:path:/s`
      const other = `${ns}:user`
      const { token, fence } = await store.beginLoad(key, [tag, other], [`${ns}:`], 5000)
      expect(await store.setFenced(key, bytes('v'), 5000, [tag, other], fence, token, [tag])).toBe('stored')
      expect((await store.get(key))?.toString()).toBe('v')
      expect((await store.get(key, [tag]))?.toString()).toBe('v')
      expect(
        (await store.getMany([key, `${ns}:none`], [[tag], undefined])).map((v) => v?.toString()),
      ).toEqual(['v', undefined])
      await store.invalidateTags([tag])
      expect(await store.get(key)).toBeUndefined()
      expect(await store.get(key, [tag])).toBeUndefined()
      expect(await store.getMany([key])).toEqual([undefined])
      expect(await store.getMany([key], [[tag]])).toEqual([undefined])
    })

    it('a stamped entry keeps its other tags in sets, and a load stamped after an invalidation holds', async () => {
      const tag = `${ns}:path:/t`
      const other = `${ns}:item`
      await store.invalidateTags([tag])
      const key = `${ns}:after`
      const { token, fence } = await store.beginLoad(key, [tag, other], [`${ns}:`], 5000)
      expect(await store.setFenced(key, bytes('v2'), 5000, [tag, other], fence, token, [tag])).toBe('stored')
      expect((await store.get(key, [tag]))?.toString()).toBe('v2')
      expect(await store.invalidateTags([other])).toBe(1)
      expect(await store.get(key, [tag])).toBeUndefined()
    })

    it('a second process does not get the lease while it is held', async () => {
      const key = `${ns}:held`
      const first = await store.beginLoad(key, [], [], 5000)
      const second = await store.beginLoad(key, [], [], 5000)
      expect(first.token).toBeDefined()
      expect(second.token).toBeUndefined()
      await store.releaseLease(key, first.token!)
    })
  })
}
