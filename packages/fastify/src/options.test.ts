import { createCache } from '@cache/core'
import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { responseCachePlugin } from './index.js'

describe('responseCachePlugin options', () => {
  it('refuses an unknown key at registration, with a did-you-mean', async () => {
    const cache = createCache()
    for (const [typo, meant] of [
      ['ttll', 'ttl'],
      ['globl', 'global'],
      ['closecache', 'closeCache'],
    ] as const) {
      const app = Fastify()
      await expect(app.register(responseCachePlugin, { cache, [typo]: true } as never)).rejects.toMatchObject(
        {
          code: 'ERR_CACHE_INVALID_OPTION',
          message: expect.stringContaining(`in @cache/fastify plugin options: did you mean "${meant}"?`),
        },
      )
    }
    await cache.close()
  })
})
