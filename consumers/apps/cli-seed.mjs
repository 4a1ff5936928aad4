// Writes one entry through @cache/core into the Redis at REDIS_URL, for the cli cell's
// `cachectl stats` to count. Run from the cli project (its @cache/core and ioredis).
import { createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'

const store = new RedisStore({ url: process.env.REDIS_URL })
const cache = createCache({ namespace: 'cli', store })
// Connected first: this checks the CLI, not how the cache treats writes made while connecting.
await store.ready()
await cache.set('seeded', { by: 'cli-seed' }, { ttl: '1m' })
await cache.close()
