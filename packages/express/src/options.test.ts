import { createCache } from '@cache/core'
import { describe, expect, it } from 'vitest'
import { responseCache } from './index.js'

describe('responseCache options', () => {
  it('refuses an unknown key of the middleware at once, with a did-you-mean', () => {
    const cache = createCache()
    for (const [typo, meant] of [
      ['ttll', 'ttl'],
      ['namespce', 'namespace'],
      ['requireready', 'requireReady'],
    ] as const) {
      expect(() => responseCache({ cache, [typo]: true } as never)).toThrow(
        expect.objectContaining({
          code: 'ERR_CACHE_INVALID_OPTION',
          message: expect.stringContaining(`in responseCache() options: did you mean "${meant}"?`),
        }),
      )
    }
  })
})
