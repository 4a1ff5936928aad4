import type { TestProject } from 'vitest/node'
import { REDIS_URL_KEY } from './redis-url-key.js'
import { startRedis } from './start-redis.js'

/**
 * Vitest global setup: starts one private `redis-server` per vitest run and `provide`s its URL, so
 * every `useRedis()` test file of the package shares it (each with its own key prefix) instead of
 * starting one server per file. Does nothing when `REDIS_URL` is set: that server is used instead.
 *
 * In a package's `vitest.config.ts`:
 * `test: { globalSetup: ['@cache/test-utils/redis-global-setup'] }`
 */
export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  if (process.env.REDIS_URL) return undefined
  const server = await startRedis()
  project.provide(REDIS_URL_KEY, server.url)
  return () => server.stop()
}
