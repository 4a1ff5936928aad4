import { invalidOption } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { RedisStore } from './redis-store.js'

// Options are checked before any connection is made: no Redis needed.
describe('RedisStore options', () => {
  it('refuses unknown options, with a did-you-mean', async () => {
    expect(
      await invalidOption(() => new RedisStore({ url: 'redis://127.0.0.1:1', keyprefix: 'a:' } as never)),
    ).toMatch(/Unknown option "keyprefix" in RedisStore options: did you mean "keyPrefix"/)
    expect(await invalidOption(() => new RedisStore({ uri: 'redis://127.0.0.1:1' } as never))).toMatch(
      /did you mean "url"/,
    )
    expect(await invalidOption(() => new RedisStore(undefined as never))).toMatch(
      /RedisStore expects an options object/,
    )
  })

  it('refuses unknown keys of cluster, but not of the ioredis options inside', async () => {
    expect(
      await invalidOption(
        () => new RedisStore({ cluster: { nodes: [{ host: '127.0.0.1', port: 1 }], option: {} } } as never),
      ),
    ).toMatch(/Unknown option "option" in RedisStore cluster options: did you mean "options"/)
  })

  it('passes `redis` (ioredis options) through unchecked', async () => {
    // lazyConnect: the client does not connect, so no server is needed.
    const store = new RedisStore({
      url: 'redis://127.0.0.1:1',
      redis: { lazyConnect: true, showFriendlyErrorStack: true },
      keyPrefix: 'p:',
      commandTimeout: 100,
    })
    expect(store.client.status).toBe('wait')
    await store.close()
  })

  it('refuses bad generation and stamp lifetimes at setup, before connecting', async () => {
    for (const stampTtl of [-1, 1.5, Number.NaN])
      expect(await invalidOption(() => new RedisStore({ url: 'redis://127.0.0.1:1', stampTtl }))).toMatch(
        /stampTtl must be an integer >= 0/,
      )
    expect(
      await invalidOption(() => new RedisStore({ url: 'redis://127.0.0.1:1', generationTtl: 10 })),
    ).toMatch(/generationTtl must be an integer >= 1000/)
  })
})
