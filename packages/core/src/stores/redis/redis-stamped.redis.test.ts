import { commandCalls, PATIENT_REMOTE, startPrivateRedis, until } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { createCache } from '../../create-cache.js'
import { STAMP_TAGS, type StampableOptions } from '../../stamp-tags.js'
import { isStamped } from './redis-stamp.js'
import { RedisStore } from './redis-store.js'

const bytes = (s: string) => Buffer.from(s)

describe('stamped entries on a private Redis (keys, commands, lifetimes)', () => {
  it('a stamped load writes one key and one SET, where a tagged one writes three keys', async () => {
    const server = await startPrivateRedis()
    const store = new RedisStore({ url: server.url })
    const admin = server.client()
    try {
      await store.ready()
      const stats = async () => {
        const calls = await commandCalls(admin)
        return { set: calls('set'), sadd: calls('sadd'), pexpire: calls('pexpire') }
      }
      const stamped = await store.beginLoad('a', ['path:/a'], ['ns:'], 5000)
      await admin.config('RESETSTAT')
      expect(
        await store.setFenced('a', bytes('v'), 5000, ['path:/a'], stamped.fence, stamped.token, ['path:/a']),
      ).toBe('stored')
      expect(await stats()).toEqual({ set: 1, sadd: 0, pexpire: 0 })
      expect(await admin.keys('*')).toEqual(['a'])
      expect(isStamped((await admin.getBuffer('a'))!)).toBe(true)

      await admin.flushall()
      const tagged = await store.beginLoad('b', ['path:/b'], ['ns:'], 5000)
      await store.setFenced('b', bytes('v'), 5000, ['path:/b'], tagged.fence, tagged.token)
      expect((await admin.keys('*')).sort()).toEqual(['__kt:b', '__tag:path:/b', 'b'])
    } finally {
      await store.close()
      await server.stop()
    }
  })

  it('an invalidated tag outlives every entry stamped with it; a longer-lived entry is indexed', async () => {
    const server = await startPrivateRedis()
    const store = new RedisStore({ url: server.url, generationTtl: 1000, stampTtl: 4000 })
    const admin = server.client()
    try {
      await store.ready()
      const short = await store.beginLoad('short', ['t'], [], 5000)
      await store.setFenced('short', bytes('s'), 4000, ['t'], short.fence, short.token, ['t'])
      const long = await store.beginLoad('long', ['t'], [], 5000)
      await store.setFenced('long', bytes('l'), 60_000, ['t'], long.fence, long.token, ['t'])
      expect(isStamped((await admin.getBuffer('short'))!)).toBe(true)
      expect(isStamped((await admin.getBuffer('long'))!)).toBe(false)
      expect(await admin.smembers('__tag:t')).toEqual(['long'])

      expect(await store.invalidateTags(['t'])).toBe(1)
      const [genLeft, entryLeft] = [await admin.pttl('__g:t:t'), await admin.pttl('short')]
      expect(genLeft).toBeGreaterThanOrEqual(entryLeft)
      expect(genLeft).toBeGreaterThan(3000)
      expect(await store.get('short')).toBeUndefined()
      expect(await store.get('long')).toBeUndefined()
    } finally {
      await store.close()
      await server.stop()
    }
  })

  it('stampTtl: 0 indexes every tag, and reads ask for no generation', async () => {
    const server = await startPrivateRedis()
    const store = new RedisStore({ url: server.url, stampTtl: 0 })
    const admin = server.client()
    try {
      await store.ready()
      const load = await store.beginLoad('k', ['t'], [], 5000)
      await store.setFenced('k', bytes('v'), 5000, ['t'], load.fence, load.token, ['t'])
      expect(isStamped((await admin.getBuffer('k'))!)).toBe(false)
      expect(await admin.smembers('__tag:t')).toEqual(['k'])
      await admin.config('RESETSTAT')
      expect((await store.get('k', ['t']))?.toString()).toBe('v')
      const calls = await commandCalls(admin)
      expect([calls('get'), calls('mget')]).toEqual([1, 0])
    } finally {
      await store.close()
      await server.stop()
    }
  })
})

describe('stamped entries through caches in two processes', () => {
  it('a path invalidation in one process drops the others’ copies; guarded reads are one MGET', async () => {
    const server = await startPrivateRedis()
    const opened = [new RedisStore({ url: server.url }), new RedisStore({ url: server.url })]
    const [a, b] = opened.map((store) => createCache({ namespace: 'app', store, remote: PATIENT_REMOTE }))
    const bare = createCache({
      namespace: 'app',
      store: new RedisStore({ url: server.url }),
      memory: false,
      remote: PATIENT_REMOTE,
    })
    const admin = server.client()
    const opts: StampableOptions = { ttl: '1m', tags: ['path:/items', 'user:1'], [STAMP_TAGS]: 1 }
    let loads = 0
    const loader = () => ({ n: ++loads })
    try {
      expect(await a!.getOrSet('items?page=1', loader, opts)).toEqual({ n: 1 })
      expect(isStamped((await admin.getBuffer('app:items?page=1'))!)).toBe(true)
      expect(await admin.exists('__tag:app:path:/items')).toBe(0)

      await admin.config('RESETSTAT')
      expect(await b!.getOrSet('items?page=1', loader, opts)).toEqual({ n: 1 })
      const calls = await commandCalls(admin)
      expect([calls('mget'), calls('get')]).toEqual([1, 0])
      expect(await bare.get('items?page=1')).toEqual({ n: 1 })

      await b!.invalidateTags(['path:/items'])
      await until(() => a!.peek('items?page=1') === undefined)
      expect(await bare.get('items?page=1')).toBeUndefined()
      expect(await a!.getOrSet('items?page=1', loader, opts)).toEqual({ n: 2 })
      expect(await b!.getOrSet('items?page=1', loader, opts)).toEqual({ n: 2 })
    } finally {
      await Promise.all([a!.close(), b!.close(), bare.close()])
      await server.stop()
    }
  })
})
