import { randomBytes } from 'node:crypto'
import { Redis } from 'ioredis'
import { afterAll, beforeAll, beforeEach, describe } from 'vitest'
import { deleteKeysByPrefix } from '../redis/delete-keys-by-prefix.js'
import { type RedisServerHandle, startRedis } from '../redis/start-redis.js'
import { until } from '../until.js'
import { cacheStatusCases } from './cache-status-cases.js'
import { cacheStatusHeaderCases } from './cache-status-header-cases.js'
import { concurrencyCases } from './concurrency-cases.js'
import { call } from './contract-client.js'
import { type ContractContext, emptyContext } from './contract-context.js'
import { safetyCases } from './safety-cases.js'
import type { ContractApp, ContractAppEnv } from './start-node-app.js'

/** Starts the app under test (see `startNodeApp`); called once per mode. */
export type StartContractApp = (env: ContractAppEnv) => Promise<ContractApp>

/** Options of {@link describeHttpContract}. */
export interface HttpContractOptions {
  /** Modes to run. @default ['memory', 'redis'] */
  modes?: readonly ContractContext['mode'][]
}

/**
 * The HTTP contract of the example apps (docs/http-rules.md), over real sockets against
 * app processes: once in memory mode (one process), once in Redis mode (two processes sharing
 * one Redis as L2 and invalidation bus, each on its own port). Redis is `REDIS_URL` when set
 * (with a key prefix of its own, passed to the apps as `REDIS_KEY_PREFIX`, cleaned up after),
 * otherwise a private `redis-server` started for the suite. Every case starts from
 * `POST /__reset` on each process.
 *
 * @example
 * describeHttpContract('express', (env) => startNodeApp({ entry: 'examples/express/dist/main.js', ...env }))
 */
export function describeHttpContract(
  name: string,
  startApp: StartContractApp,
  options: HttpContractOptions = {},
): void {
  const modes = options.modes ?? ['memory', 'redis']
  describe(`HTTP contract: ${name}`, () => {
    if (modes.includes('memory')) {
      describe('memory mode (one process)', () => {
        const ctx = emptyContext('memory')
        let app: ContractApp | undefined
        beforeAll(async () => {
          app = await startApp({ processes: 1, env: { REDIS_URL: undefined, REDIS_KEY_PREFIX: undefined } })
          fill(ctx, app)
        })
        afterAll(() => app?.stop())
        registerCases(ctx)
      })
    }
    if (modes.includes('redis')) {
      describe('redis mode (two processes, one Redis)', () => {
        const ctx = emptyContext('redis')
        let app: ContractApp | undefined
        let server: RedisServerHandle | undefined
        const shared = process.env.REDIS_URL
        const prefix = `t:contract:${name.replace(/[^\w.-]/g, '_')}:${randomBytes(4).toString('hex')}:`
        beforeAll(async () => {
          const url = shared ?? (server = await startRedis()).url
          app = await startApp({ processes: 2, env: { REDIS_URL: url, REDIS_KEY_PREFIX: prefix } })
          fill(ctx, app)
          // A process answers HTTP before its bus has subscribed, and a message published before
          // that never reaches it: the first reset's wait would then never end.
          await until(async () => (await busCounts(ctx.urls)).every((c) => c.subscribed), {
            interval: 20,
            message: 'a process never subscribed to the invalidation bus',
          })
        })
        afterAll(async () => {
          await app?.stop()
          if (shared) await cleanUp(shared, prefix)
          await server?.stop()
        })
        registerCases(ctx)
      })
    }
  })
}

function fill(ctx: ContractContext, app: ContractApp): void {
  ctx.urls = [...app.baseUrls]
  ctx.a = app.baseUrls[0]!
  ctx.b = app.baseUrls.at(-1)!
}

function registerCases(ctx: ContractContext): void {
  beforeEach(async () => {
    const before = ctx.urls.length > 1 ? await busCounts(ctx.urls) : []
    for (const url of ctx.urls) {
      const res = await call(`${url}/__reset`, { method: 'POST' })
      if (res.status >= 300) throw new Error(`POST ${url}/__reset answered ${res.status}`)
    }
    // Each reset's clear reaches the other processes over the bus. Arriving during the next
    // case, it would rightly cancel the storing of a load begun before it: wait it out.
    if (ctx.urls.length > 1) await busDelivered(ctx.urls, before)
  })
  cacheStatusCases(ctx)
  cacheStatusHeaderCases(ctx)
  safetyCases(ctx)
  concurrencyCases(ctx)
}

type BusCounts = { published: number; received: number; subscribed: boolean }

/** Each process's bus counters and subscription (`GET /__bus`). */
function busCounts(urls: readonly string[]): Promise<BusCounts[]> {
  return Promise.all(urls.map(async (url) => (await call(`${url}/__bus`)).json<BusCounts>()))
}

/**
 * Waits until every process has received what the others published since `before`. Counted from
 * `before`, not from start: a message published before another process had subscribed (at
 * start-up) never reaches it, and would hold an absolute count short for good.
 */
async function busDelivered(urls: readonly string[], before: BusCounts[]): Promise<void> {
  await until(
    async () => {
      const now = await busCounts(urls)
      const published = now.map((c, i) => c.published - before[i]!.published)
      const total = published.reduce((sum, n) => sum + n, 0)
      return now.every((c, i) => c.received - before[i]!.received >= total - published[i]!)
    },
    { interval: 20, message: 'an invalidation published by one process never reached another' },
  )
}

// On a shared server only this suite's keys go: never FLUSHALL.
async function cleanUp(url: string, prefix: string): Promise<void> {
  const admin = new Redis(url, { lazyConnect: true })
  try {
    await admin.connect()
    // RedisStore keeps each entry's tag list under `__kt:` + its full key (prefix included).
    for (const p of [prefix, `__kt:${prefix}`]) await deleteKeysByPrefix(admin, p)
  } finally {
    admin.disconnect()
  }
}
