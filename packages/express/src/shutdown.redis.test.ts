import { fileURLToPath } from 'node:url'
import { expectCleanShutdown, useRedis } from '@cache/test-utils'
import { describe, it } from 'vitest'

const redis = useRedis()
const entry = fileURLToPath(new URL('./fixtures/close-app.mjs', import.meta.url))

describe('responseCache shutdown (a child process with a Redis L2)', () => {
  it('rc.close() when the server closes closes the cache it created: the process exits by itself', async () => {
    await expectCleanShutdown(
      entry,
      { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix },
      'x-cache=MISS,HIT',
    )
  })
})
