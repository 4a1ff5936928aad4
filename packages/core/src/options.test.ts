import { invalidOption } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { createCache } from './create-cache.js'
import { MemoryStore } from './stores/memory-store.js'

describe('createCache refuses unknown options, nested ones included', () => {
  it('top level, with a did-you-mean for a typo', async () => {
    expect(await invalidOption(() => createCache({ ttll: '5m' } as never))).toMatch(
      /Unknown option "ttll" in createCache options: did you mean "ttl"\?/,
    )
    expect(await invalidOption(() => createCache({ namspace: 'app' } as never))).toMatch(
      /did you mean "namespace"/,
    )
  })

  it('memory, lease and remote', async () => {
    const memory = await invalidOption(() => createCache({ memory: { maxSize: '64MB' } } as never))
    expect(memory).toMatch(/Unknown option "maxSize" in memory options/)
    expect(memory).toMatch(/Known options: maxEntries, maxBytes, maxEntryBytes, maxTtl/)
    expect(await invalidOption(() => createCache({ memory: { maxEntires: 5 } } as never))).toMatch(
      /did you mean "maxEntries"/,
    )
    expect(await invalidOption(() => createCache({ lease: { ttl: '5s', wiat: '1s' } } as never))).toMatch(
      /Unknown option "wiat" in lease options: did you mean "wait"/,
    )
    expect(await invalidOption(() => createCache({ remote: { timout: 100 } } as never))).toMatch(
      /Unknown option "timout" in remote options: did you mean "timeout"/,
    )
    expect(await invalidOption(() => createCache({ remote: { breakerTreshold: 3 } } as never))).toMatch(
      /did you mean "breakerThreshold"/,
    )
  })

  it('a nested option that is not an object (true is not "the defaults")', async () => {
    expect(await invalidOption(() => createCache({ memory: true } as never))).toMatch(/memory/)
    expect(await invalidOption(() => createCache({ lease: true } as never))).toMatch(
      /lease must be an object or false/,
    )
    expect(await invalidOption(() => createCache({ remote: 250 } as never))).toMatch(
      /remote must be an object, got 250/,
    )
    expect(await invalidOption(() => createCache({ remote: false } as never))).toMatch(/remote/)
  })

  it('accepts every documented option', async () => {
    const cache = createCache({
      namespace: 'app',
      ttl: '1 minute',
      ttlJitter: 0.1,
      grace: '1h',
      staleWhileRevalidate: true,
      timeout: 100,
      memory: { maxEntries: 10, maxBytes: '1MB', maxEntryBytes: '1kb', maxTtl: '1m' },
      store: new MemoryStore(),
      compressThreshold: '1kb',
      bus: false,
      lease: { ttl: '5s', wait: '5s' },
      logger: false,
      remote: {
        timeout: 100,
        connectTimeout: 0,
        breakerThreshold: 3,
        breakerResetAfter: '1s',
        outboxSize: 100,
      },
    })
    await cache.close()
    await createCache({ memory: false, lease: false }).close()
  })

  it('MemoryStore', async () => {
    expect(await invalidOption(() => new MemoryStore({ maxByte: 10 } as never))).toMatch(
      /Unknown option "maxByte" in MemoryStore options: did you mean "maxBytes"/,
    )
  })
})

describe('per-call options', () => {
  it('set and setMany refuse unknown options (getOrSet-only ones included)', async () => {
    const cache = createCache()
    expect(await invalidOption(() => cache.set('k', 1, { tll: 5 } as never))).toMatch(
      /Unknown option "tll" in set options: did you mean "ttl"/,
    )
    expect(
      await invalidOption(() => cache.set('k', 1, { ttl: 5, staleWhileRevalidate: true } as never)),
    ).toMatch(/"staleWhileRevalidate" in set options/)
    expect(await cache.get('k')).toBeUndefined()
    expect(
      await invalidOption(() =>
        cache.setMany([{ key: 'a', value: 1 }, { key: 'b', value: 2, tag: ['x'] } as never]),
      ),
    ).toMatch(/Unknown option "tag" in setMany item: did you mean "tags"/)
    // Checked before anything is written.
    expect(await cache.get('a')).toBeUndefined()
  })

  it('getOrSet refuses unknown options before its loader runs', async () => {
    const cache = createCache()
    let calls = 0
    const loader = () => ++calls
    expect(
      await invalidOption(() => cache.getOrSet('k', loader, { staleWhileRevalidat: true } as never)),
    ).toMatch(/Unknown option "staleWhileRevalidat" in getOrSet options: did you mean "staleWhileRevalidate"/)
    expect(calls).toBe(0)
    expect(await cache.getOrSet('k', loader, { ttl: '1m', tags: ['t'] })).toBe(1)
  })

  it('wrap refuses unknown options at wrap time', async () => {
    const cache = createCache()
    const add = (a: number, b: number) => a + b
    expect(await invalidOption(() => cache.wrap(add, { nmae: 'add' } as never))).toMatch(
      /Unknown option "nmae" in wrap options: did you mean "name"/,
    )
    expect(await cache.wrap(add, { name: 'add', ttl: '1m', key: (a, b) => [a, b] })(1, 2)).toBe(3)
  })

  it('ready refuses unknown options', async () => {
    const cache = createCache()
    expect(await invalidOption(() => cache.ready({ timout: '1s' } as never))).toMatch(
      /Unknown option "timout" in ready options: did you mean "timeout"/,
    )
    await cache.ready({ timeout: '1s' })
  })

  it('prewarm refuses unknown options', async () => {
    const cache = createCache()
    expect(await invalidOption(() => cache.prewarm([], { batchsize: 10 } as never))).toMatch(
      /did you mean "batchSize"/,
    )
    expect(await cache.prewarm([{ key: 'a', value: 1 }], { batchSize: 1 })).toBe(1)
  })
})
