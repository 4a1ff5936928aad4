import { randomBytes } from 'node:crypto'
import { basename } from 'node:path'
import { Redis, type RedisOptions } from 'ioredis'
import { afterAll, beforeAll, inject } from 'vitest'
import { deleteKeysByPrefix } from './delete-keys-by-prefix.js'
import { REDIS_URL_KEY } from './redis-url-key.js'
import { type RedisServerHandle, startRedis } from './start-redis.js'

/** Where the server of a {@link useRedis} context comes from. */
export type RedisSource = 'env' | 'run' | 'file'

/** What {@link useRedis} gives a test file; read it inside tests and hooks (it is filled in by `beforeAll`). */
export interface RedisTestContext {
  /** URL of the server. Shared with other test files: never FLUSHALL, kill or pause it. */
  readonly url: string
  /** This file's key prefix, `t:<file-basename>:<random>:`; every key the file writes must start with it. */
  readonly prefix: string
  /** `'env'`: `REDIS_URL`; `'run'`: the per-run server of the global setup; `'file'`: started for this file. */
  readonly source: RedisSource
  /** `prefix + name`. */
  key(name: string): string
  /** A new ioredis client for the server, closed after the file's tests. */
  client(options?: RedisOptions): Redis
  /** Deletes this file's keys now (SCAN + UNLINK on the prefix); resolves to how many. */
  deleteKeys(): Promise<number>
}

/**
 * Registers `beforeAll`/`afterAll` hooks that give the current test file (or `describe` block) a
 * Redis server and a key prefix of its own. The server is, in order: `REDIS_URL` when set; the
 * server started once per vitest run by `@cache/test-utils/redis-global-setup` when the package's
 * vitest config uses it; otherwise a server started for this file and stopped after it. Teardown
 * deletes only keys under the prefix: the server may be shared, so there is no FLUSHALL.
 *
 * @example
 * const redis = useRedis()
 * it('writes', async () => { await redis.client().set(redis.key('a'), '1') })
 */
export function useRedis(): RedisTestContext {
  let state: { url: string; prefix: string; source: RedisSource } | undefined
  let ownServer: RedisServerHandle | undefined
  const clients = new Set<Redis>()
  const ready = () => {
    if (!state)
      throw new Error('useRedis(): the context is filled in by beforeAll; read it inside tests or hooks')
    return state
  }

  const context: RedisTestContext = {
    get url() {
      return ready().url
    },
    get prefix() {
      return ready().prefix
    },
    get source() {
      return ready().source
    },
    key: (name) => ready().prefix + name,
    client(options) {
      const client = new Redis(ready().url, options ?? {})
      clients.add(client)
      client.once('end', () => clients.delete(client))
      return client
    },
    async deleteKeys() {
      const admin = new Redis(ready().url, { lazyConnect: true })
      try {
        await admin.connect()
        return await deleteKeysByPrefix(admin, ready().prefix)
      } finally {
        admin.disconnect()
      }
    },
  }

  beforeAll(async (suite) => {
    const file = suite.file?.filepath ?? 'unknown'
    const prefix = `t:${fileLabel(file)}:${randomBytes(4).toString('hex')}:`
    const envUrl = process.env.REDIS_URL
    const runUrl = inject(REDIS_URL_KEY)
    if (envUrl) state = { url: envUrl, prefix, source: 'env' }
    else if (runUrl) state = { url: runUrl, prefix, source: 'run' }
    else {
      ownServer = await startRedis()
      state = { url: ownServer.url, prefix, source: 'file' }
    }
  })

  afterAll(async () => {
    if (!state) return
    try {
      await context.deleteKeys()
    } finally {
      for (const client of clients) client.disconnect()
      clients.clear()
      await ownServer?.stop()
    }
  })

  return context
}

// `src/stores/redis-store.redis.test.ts` -> `redis-store.redis.test`; only characters that are
// neither glob syntax for SCAN MATCH nor our `:` separator.
function fileLabel(path: string): string {
  return (
    basename(path)
      .replace(/\.[cm]?[jt]sx?$/, '')
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(0, 60) || 'file'
  )
}
