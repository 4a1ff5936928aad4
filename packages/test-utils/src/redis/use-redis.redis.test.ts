import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deleteKeysByPrefix } from './delete-keys-by-prefix.js'
import { startPrivateRedis } from './start-private-redis.js'
import type { RedisServerHandle } from './start-redis.js'
import { useRedis } from './use-redis.js'

const here = dirname(fileURLToPath(import.meta.url))
const vitestBin = join(dirname(createRequire(import.meta.url).resolve('vitest/package.json')), 'vitest.mjs')
const redis = useRedis()

describe('useRedis', () => {
  it('names the prefix after the test file, with a random part', () => {
    expect(redis.prefix).toMatch(/^t:use-redis\.redis\.test:[0-9a-f]{8}:$/)
    expect(redis.key('a')).toBe(`${redis.prefix}a`)
  })

  it('shares a server: REDIS_URL, or the per-run server of the global setup', () => {
    // This package's vitest config uses the global setup, so no server is started per file.
    expect(redis.source).toBe(process.env.REDIS_URL ? 'env' : 'run')
    expect(redis.url).toMatch(/^rediss?:\/\//)
  })

  it('deleteKeys() removes only keys under the prefix', async () => {
    const client = redis.client()
    const foreign = `t:someone-else:${randomBytes(4).toString('hex')}:k`
    const almost = redis.prefix.slice(0, -1) // the prefix without its final ':'
    await client.mset(redis.key('a'), '1', redis.key('b:c'), '2', foreign, '3', almost, '4')
    try {
      expect(await redis.deleteKeys()).toBe(2)
      expect(await client.exists(redis.key('a'), redis.key('b:c'))).toBe(0)
      expect(await client.get(foreign)).toBe('3')
      expect(await client.get(almost)).toBe('4')
    } finally {
      await client.del(foreign, almost)
    }
  })

  it('deleteKeysByPrefix() matches the prefix literally, not as a glob', async () => {
    const client = redis.client()
    const literal = redis.key('g*[x]?:')
    const decoy = redis.key('gQQx!:1') // matched by the unescaped pattern `g*[x]?:*`
    await client.mset(`${literal}1`, '1', `${literal}2`, '2', decoy, '3')
    expect(await deleteKeysByPrefix(client, literal)).toBe(2)
    expect(await client.get(decoy)).toBe('3')
    await expect(deleteKeysByPrefix(client, '')).rejects.toThrow(/empty prefix/)
  })

  it('deletes many keys in batches', async () => {
    const client = redis.client()
    const pipeline = client.pipeline()
    for (let i = 0; i < 2500; i++) pipeline.set(redis.key(`bulk:${i}`), 'x')
    await pipeline.exec()
    expect(await deleteKeysByPrefix(client, redis.key('bulk:'))).toBe(2500)
  })
})

describe('useRedis teardown', () => {
  const foreign = `t:someone-else:${randomBytes(4).toString('hex')}:survivor`
  let innerPrefix = ''

  describe('a block with its own context', () => {
    const inner = useRedis()
    it('writes keys under its prefix', async () => {
      innerPrefix = inner.prefix
      expect(inner.prefix).not.toBe(redis.prefix)
      const client = inner.client()
      await client.mset(inner.key('x'), '1', inner.key('y'), '2', foreign, 'keep')
    })
  })

  it('deleted exactly that prefix when the block ended', async () => {
    const client = redis.client()
    try {
      expect(innerPrefix).not.toBe('')
      expect(await client.exists(`${innerPrefix}x`, `${innerPrefix}y`)).toBe(0)
      expect(await client.get(foreign)).toBe('keep')
    } finally {
      await client.del(foreign)
    }
  })
})

describe('useRedis with REDIS_URL', () => {
  let server: RedisServerHandle
  let previous: string | undefined
  // Registered before useRedis(): `after` hooks run in reverse order, so the server outlives
  // useRedis' key cleanup.
  beforeAll(async () => {
    server = await startPrivateRedis()
    previous = process.env.REDIS_URL
    process.env.REDIS_URL = server.url
  })
  afterAll(async () => {
    if (previous === undefined) delete process.env.REDIS_URL
    else process.env.REDIS_URL = previous
    // Teardown deleted our keys and nothing else on the "shared" server.
    expect(await server.client().keys('*')).toEqual(['not-ours'])
    await server.stop()
  })
  const viaEnv = useRedis()

  it('uses the server REDIS_URL points at', async () => {
    expect(viaEnv.source).toBe('env')
    expect(viaEnv.url).toBe(server.url)
    await viaEnv.client().set(viaEnv.key('mine'), '1')
    await server.client().set('not-ours', '1')
  })
})

describe('useRedis in other vitest configurations', () => {
  /** Runs vitest on a fixture config in a child process without REDIS_URL; resolves to its stdout. */
  async function runFixtures(config: string): Promise<string> {
    const env = { ...process.env }
    delete env.REDIS_URL
    const args = [vitestBin, 'run', '--config', join(here, 'fixtures', config)]
    const { stdout } = await promisify(execFile)(process.execPath, args, {
      env,
      cwd: join(here, '../..'),
    }).catch((error: { stdout?: string; stderr?: string }) => {
      throw new Error(`fixture run failed:\n${error.stdout}\n${error.stderr}`)
    })
    return stdout
  }

  it('without the global setup, starts a server for the file and stops it afterwards', async () => {
    const stdout = await runFixtures('vitest.config.ts')
    const pid = Number(/fixture-redis-pid=(\d+)/.exec(stdout)?.[1])
    expect(pid).toBeGreaterThan(0)
    expect(() => process.kill(pid, 0)).toThrow()
  })

  it('with @cache/test-utils/redis-global-setup, files share one server and stop it at the end', async () => {
    const stdout = await runFixtures('vitest.shared.config.ts')
    const seen = [...stdout.matchAll(/fixture-shared pid=(\d+) prefix=(\S+)/g)]
    expect(seen).toHaveLength(2)
    expect(seen[0]![1]).toBe(seen[1]![1])
    expect(seen[0]![2]).not.toBe(seen[1]![2])
    expect(() => process.kill(Number(seen[0]![1]), 0)).toThrow()
  })
})
