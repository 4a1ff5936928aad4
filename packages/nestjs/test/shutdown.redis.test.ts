import { fileURLToPath } from 'node:url'
import { expectCleanShutdown, useRedis } from '@cache/test-utils'
import { describe, it } from 'vitest'
import { PLATFORMS } from './start-app.js'

const redis = useRedis()
const entry = fileURLToPath(new URL('./fixtures/close-app.mjs', import.meta.url))

describe.each(PLATFORMS)(
  'ResponseCacheModule shutdown on %s (a child process with a Redis L2)',
  (platform) => {
    it('app.close() closes the cache the module created: the process exits by itself', async () => {
      const prefix = `${redis.prefix}${platform}:`
      const env = { NEST_PLATFORM: platform, REDIS_URL: redis.url, REDIS_KEY_PREFIX: prefix }
      await expectCleanShutdown(entry, env, 'x-cache=MISS,HIT')
    })
  },
)
