import { type Cache, createCache, hashKey, isCacheError } from '@cache/core'
import { Controller, Get, Inject, Injectable, Module } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { afterEach, describe, expect, it } from 'vitest'
import { CacheResponse, Memoize, RESPONSE_CACHE, ResponseCacheModule } from '../src/index.js'
import { call, PLATFORMS, startApp, type TestApp } from './start-app.js'

let cleanup: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const step of cleanup.reverse()) await step()
  cleanup = []
})

function cacheFor(namespace: string): Cache {
  const cache = createCache({ namespace })
  cleanup.push(() => cache.close())
  return cache
}

/** A feature module with its own cache: `/<name>` is cached, and a memoized provider method. */
function feature(name: string, cache: Cache, isGlobal?: boolean) {
  @Injectable()
  class Service {
    runs = 0
    @Memoize()
    async compute() {
      return ++this.runs
    }
  }
  @Controller(name)
  class FeatureController {
    constructor(
      @Inject(Service) private readonly service: Service,
      @Inject(RESPONSE_CACHE) readonly cache: Cache,
    ) {}
    @Get()
    @CacheResponse()
    async get() {
      return { feature: name, computed: await this.service.compute() }
    }
  }
  const options = isGlobal === undefined ? { cache } : { cache, isGlobal }
  @Module({
    imports: [ResponseCacheModule.forRoot(options)],
    controllers: [FeatureController],
    providers: [Service],
  })
  class FeatureModule {}
  Object.defineProperty(FeatureModule, 'name', { value: `${name}Module` })
  return { FeatureModule, FeatureController }
}

/** A controller with a cached route, for a module that imports no ResponseCacheModule itself. */
function rootController() {
  @Controller('root')
  class RootController {
    @Get()
    @CacheResponse()
    get() {
      return {}
    }
  }
  return RootController
}

describe.each(PLATFORMS)('two modules with their own ResponseCacheModule, on %s', (platform) => {
  it('stores each module’s routes (and memoized results) in its own cache', async () => {
    const [a, b] = [cacheFor('cache-a'), cacheFor('cache-b')]
    const A = feature('a', a)
    const B = feature('b', b)
    @Module({ imports: [A.FeatureModule, B.FeatureModule] })
    class AppModule {}
    const t: TestApp = await startApp(platform, AppModule)
    cleanup.push(() => t.close())

    for (const path of ['/a', '/a', '/b', '/b']) await call(`${t.url}${path}`)
    expect([a.stats().sets > 0, b.stats().sets > 0]).toEqual([true, true])
    // Dropping A's cache makes /a a miss, and leaves /b stored in B's.
    await a.clear()
    expect([(await call(`${t.url}/a`)).xCache, (await call(`${t.url}/b`)).xCache]).toEqual(['MISS', 'HIT'])
    await b.clear()
    expect([(await call(`${t.url}/a`)).xCache, (await call(`${t.url}/b`)).xCache]).toEqual(['HIT', 'MISS'])
    // Each module's providers get its own cache, and memoize into it (each computed twice: once
    // more after its cache was cleared).
    const memo = (cache: Cache) => cache.namespace('wrap').namespace('Service.compute').get(hashKey([]))
    expect([await memo(a), await memo(b)]).toEqual([2, 2])
    expect(t.app.get(A.FeatureController, { strict: false }).cache).toBe(a)
    expect(t.app.get(B.FeatureController, { strict: false }).cache).toBe(b)
  })
})

describe('ambiguous caches fail the start, saying what to do', () => {
  async function startError(module: unknown): Promise<unknown> {
    const app = await NestFactory.create(module as never, { logger: false, abortOnError: false })
    cleanup.push(() => app.close())
    return app.init().then(
      () => undefined,
      (error: unknown) => error,
    )
  }

  it('a controller whose module imports none, when two are global', async () => {
    const A = feature('a', cacheFor('a'))
    const B = feature('b', cacheFor('b'))
    const RootController = rootController()
    @Module({ imports: [A.FeatureModule, B.FeatureModule], controllers: [RootController] })
    class AppModule {}
    const error = await startError(AppModule)
    expect(isCacheError(error, 'ERR_CACHE_INVALID_OPTION')).toBe(true)
    expect((error as Error).message).toMatch(
      /RootController \(in AppModule\) could use any of 2 global ResponseCacheModules \(imported by aModule, bModule\).*isGlobal: false/,
    )
  })

  it('a module importing two', async () => {
    @Controller('twice')
    class TwiceController {
      @Get()
      @CacheResponse()
      get() {
        return {}
      }
    }
    @Module({
      imports: [
        ResponseCacheModule.forRoot({ cache: cacheFor('one') }),
        ResponseCacheModule.forRoot({ cache: cacheFor('two') }),
      ],
      controllers: [TwiceController],
    })
    class TwiceModule {}
    const error = await startError(TwiceModule)
    expect((error as Error).message).toMatch(/TwiceModule imports ResponseCacheModule 2 times/)
  })

  it('but not a controller whose module imports none when one is global and the others are not', async () => {
    const shared = cacheFor('shared')
    const A = feature('a', cacheFor('a'), false)
    const RootController = rootController()
    @Module({ controllers: [RootController] })
    class PlainModule {}
    @Module({ imports: [ResponseCacheModule.forRoot({ cache: shared }), A.FeatureModule, PlainModule] })
    class AppModule {}
    const t = await startApp('express', AppModule)
    cleanup.push(() => t.close())
    await call(`${t.url}/root`)
    expect((await call(`${t.url}/root`)).xCache).toBe('HIT')
    expect([shared.stats().sets, shared.namespacePath]).toEqual([1, 'shared'])
  })
})
