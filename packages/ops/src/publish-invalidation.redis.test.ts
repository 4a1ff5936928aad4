import { createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'
import { PATIENT_REMOTE, until, useRedis } from '@cache/test-utils'
import { afterAll, describe, expect, it } from 'vitest'
import { publishInvalidation } from './publish-invalidation.js'

const redis = useRedis()
const closing: { close(): Promise<void> }[] = []
afterAll(async () => {
  for (const c of closing) await c.close()
})

describe('publishInvalidation', () => {
  it('reaches the bus of a running cache, which drops its memory copies', async () => {
    const keyPrefix = `${redis.prefix}pub:`
    const store = new RedisStore({ url: redis.url, keyPrefix })
    const app = createCache({ namespace: 'app', store, remote: PATIENT_REMOTE })
    const tool = new RedisStore({ url: redis.url, keyPrefix })
    closing.push(app, tool)
    await app.ready()
    await tool.ready()
    await app.set('k', 1)
    // Deleted behind the app's back: only its memory tier still holds the entry.
    await tool.delete('app:k')
    expect(await app.get('k')).toBe(1)

    let received = 0
    await until(async () => {
      received = await publishInvalidation(tool, 'app', { kind: 'keys', keys: ['app:k'] })
      return received > 0
    })
    expect(received).toBe(1)
    await until(async () => (await app.get('k')) === undefined)
  })
})
