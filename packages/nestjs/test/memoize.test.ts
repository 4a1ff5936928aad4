import { type Cache, createCache, hashKey, isCacheError } from '@cache/core'
import { Inject, Injectable, Module } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { Memoize, RESPONSE_CACHE, ResponseCacheModule } from '../src/index.js'

@Injectable()
class Users {
  calls = 0

  @Memoize({ ttl: '1m', tags: (id: string) => [`user:${id}`] })
  async find(id: string, _options: { fields?: string[] } = {}) {
    this.calls++
    // Later than every concurrent call's lookup (they all run in microtasks), whatever the machine.
    await new Promise((resolve) => setImmediate(resolve))
    return { id, name: `user ${id}`, at: this.calls }
  }

  // The key ignores the second argument (a request id, say).
  @Memoize({ key: (id: string) => id, name: 'users.byId' })
  async byId(id: string, _requestId: string) {
    this.calls++
    return { id }
  }

  @Memoize()
  async failing(id: string) {
    this.calls++
    throw new Error(`no ${id}`)
  }
}

// A provider of another module: ResponseCacheModule is global by default.
@Injectable()
class Reports {
  constructor(@Inject(Users) readonly users: Users) {}

  runs = 0

  @Memoize()
  async report(filter: Record<string, unknown>) {
    this.runs++
    return { filter, total: 42 }
  }
}

@Module({ providers: [Reports, Users], exports: [Reports] })
class ReportsModule {}

describe('@Memoize()', () => {
  let cache: Cache
  let close: () => Promise<void>
  let users: Users
  let reports: Reports

  beforeEach(async () => {
    cache = createCache({ namespace: 'memo-test' })
    @Module({ imports: [ResponseCacheModule.forRoot({ cache }), ReportsModule] })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false })
    users = app.get(Users)
    reports = app.get(Reports)
    close = () => app.close()
  })
  afterEach(async () => {
    await close()
    await cache.close()
  })

  it('computes once per distinct arguments', async () => {
    const a1 = await users.find('a')
    const a2 = await users.find('a', {})
    const b = await users.find('b')
    expect([a1, a2, b]).toEqual([
      { id: 'a', name: 'user a', at: 1 },
      { id: 'a', name: 'user a', at: 2 },
      { id: 'b', name: 'user b', at: 3 },
    ])
    expect(await users.find('a')).toEqual(a1)
    expect(users.calls).toBe(3)
  })

  it('keys by canonical encoding: object key order does not matter', async () => {
    await reports.report({ a: 1, b: [1, 2] })
    expect(await reports.report({ b: [1, 2], a: 1 })).toEqual({ filter: { a: 1, b: [1, 2] }, total: 42 })
    expect(reports.runs).toBe(1)
  })

  it('runs concurrent calls with the same key once', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, () => users.find('c')))
    expect(new Set(results.map((r) => r.at))).toEqual(new Set([1]))
    expect(users.calls).toBe(1)
  })

  it('uses the key option and name', async () => {
    await users.byId('x', 'req-1')
    await users.byId('x', 'req-2')
    expect(users.calls).toBe(1)
    expect(await cache.namespace('wrap').namespace('users.byId').get(hashKey('x'))).toEqual({ id: 'x' })
  })

  it('tags results: invalidateTags recomputes', async () => {
    await users.find('d')
    await cache.invalidateTags(['user:d'])
    expect((await users.find('d')).at).toBe(2)
    expect(users.calls).toBe(2)
  })

  it('never stores a failure', async () => {
    await expect(users.failing('e')).rejects.toThrow('no e')
    await expect(users.failing('e')).rejects.toThrow('no e')
    expect(users.calls).toBe(2)
  })

  it('injects the module cache into the instance; an instance made with new calls through', async () => {
    expect(cache).toBe(
      (users as unknown as Record<symbol, unknown>)[Symbol.for('@cache/nestjs.memoize-cache')],
    )
    const manual = new Users()
    await manual.byId('y', '1')
    await manual.byId('y', '2')
    expect(manual.calls).toBe(2)
  })
})

describe('@Memoize() options', () => {
  it('rejects a bad ttl when the class is defined', () => {
    let error: unknown
    try {
      class Bad {
        @Memoize({ ttl: 'soon' })
        async get() {
          return 1
        }
      }
      void Bad
    } catch (e) {
      error = e
    }
    expect(isCacheError(error)).toBe(true)
  })
})

describe('ResponseCacheModule.forRootAsync()', () => {
  it('builds the options with a factory, its imports and inject', async () => {
    const cache = createCache({ namespace: 'async-test' })
    @Module({ providers: [{ provide: 'CACHE_TTL', useValue: '5m' }], exports: ['CACHE_TTL'] })
    class ConfigModule {}
    @Module({
      imports: [
        ResponseCacheModule.forRootAsync({
          imports: [ConfigModule],
          inject: ['CACHE_TTL'],
          useFactory: (ttl: string) => ({ cache, ttl }),
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false })
    try {
      expect(app.get(RESPONSE_CACHE)).toBe(cache)
    } finally {
      await app.close()
      await cache.close()
    }
  })

  it('fails at startup on bad default options', async () => {
    const cache = createCache({ namespace: 'bad-test' })
    @Module({ imports: [ResponseCacheModule.forRoot({ cache, ttl: -1 })] })
    class AppModule {}
    const error = await NestFactory.createApplicationContext(AppModule, {
      logger: false,
      abortOnError: false,
    })
      .then(() => undefined)
      .catch((e: unknown) => e)
    expect(isCacheError(error, 'ERR_CACHE_INVALID_OPTION')).toBe(true)
    await cache.close()
  })
})
