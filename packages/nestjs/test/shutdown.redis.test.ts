import { fileURLToPath } from 'node:url'
import { runToExit, useRedis } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { PLATFORMS } from './start-app.js'

const redis = useRedis()
const entry = fileURLToPath(new URL('./fixtures/close-app.mjs', import.meta.url))

describe.each(PLATFORMS)(
  'ResponseCacheModule shutdown on %s (a child process with a Redis L2)',
  (platform) => {
    it('app.close() closes the cache the module created: the process exits by itself, within 1 s', async () => {
      const run = await runToExit(entry, {
        NEST_PLATFORM: platform,
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `${redis.prefix}${platform}:`,
      })
      expect(run.stderr).toBe('')
      expect(run.code).toBe(0)
      expect(run.stdout).toContain('x-cache=MISS,HIT')
      const exitAfter = Number(/exit-after-close-ms=(\d+)/.exec(run.stdout)?.[1])
      expect(exitAfter).toBeLessThan(1000)
    })
  },
)
