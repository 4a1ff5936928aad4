import { fileURLToPath } from 'node:url'
import { runToExit, useRedis } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'

const redis = useRedis()

describe('responseCachePlugin shutdown (a child process with a Redis L2)', () => {
  it('app.close() closes the cache the plugin created: the process exits by itself, within 1 s', async () => {
    const entry = fileURLToPath(new URL('./fixtures/close-app.mjs', import.meta.url))
    const run = await runToExit(entry, { REDIS_URL: redis.url, REDIS_KEY_PREFIX: redis.prefix })
    const output = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`
    expect([run.code, run.stderr], output).toEqual([0, ''])
    expect(run.stdout).toContain('x-cache=MISS,HIT')
    const exitAfter = Number(/exit-after-close-ms=(\d+)/.exec(run.stdout)?.[1])
    // It takes a few ms; the bound leaves room for a busy machine (a leak never exits at all).
    expect(exitAfter, output).toBeLessThan(5000)
  })
})
