import { Readable } from 'node:stream'
import { type Cache, createCache } from '@cache/core'
import {
  type CallHandler,
  Controller,
  type ExecutionContext,
  Get,
  HttpCode,
  Inject,
  Injectable,
  Module,
  type NestInterceptor,
  NotFoundException,
  Param,
  Post,
  Put,
  Res,
  Sse,
  StreamableFile,
} from '@nestjs/common'
import { APP_INTERCEPTOR } from '@nestjs/core'
import { interval, map, take } from 'rxjs'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { CacheResponse, InvalidateTags, NoCache, RESPONSE_CACHE, ResponseCacheModule } from '../src/index.js'
import { call, PLATFORMS, startApp, type TestApp } from './start-app.js'

@Injectable()
class Calls {
  readonly n: Record<string, number> = {}
  count(name: string): number {
    this.n[name] = (this.n[name] ?? 0) + 1
    return this.n[name]
  }
}

const FIXED = { ttl: '1m' }

// Class level: every route of the controller is cached, unless it says otherwise.
@Controller('things')
@CacheResponse({ ttl: '1m' })
class ThingsController {
  constructor(@Inject(Calls) private readonly calls: Calls) {}

  @Get()
  list() {
    return { calls: this.calls.count('list') }
  }

  @Get('fresh')
  @NoCache()
  fresh() {
    return { calls: this.calls.count('fresh') }
  }

  @Get('tagged/:id')
  @CacheResponse({ tags: (req) => [`thing:${req.params.id}`] })
  tagged(@Param('id') id: string) {
    return { id, calls: this.calls.count(`tagged:${id}`) }
  }

  @Put('tagged/:id')
  @InvalidateTags((req) => [`thing:${req.params.id}`])
  update(@Param('id') id: string) {
    return { id, updated: true }
  }

  @Post('touch-all')
  @HttpCode(200)
  @InvalidateTags('thing:a', 'thing:b')
  touchAll() {
    return { updated: true }
  }

  // Options known at request time; `false` turns caching off for that request.
  @Get('factory')
  @CacheResponse((ctx: ExecutionContext) =>
    ctx.switchToHttp().getRequest<{ query: { off?: string } }>().query.off ? false : FIXED,
  )
  factory() {
    return { calls: this.calls.count('factory') }
  }

  // Writes the response itself: no `@Res({ passthrough: true })`.
  @Get('raw')
  raw(@Res() res: { raw?: unknown; json?(body: unknown): void; send(body: unknown): void }) {
    const body = { calls: this.calls.count('raw') }
    if (res.raw === undefined && res.json) res.json(body)
    else res.send(body)
  }

  @Get('accepted')
  @HttpCode(203)
  @CacheResponse({ statuses: [200, 203] })
  accepted() {
    return { calls: this.calls.count('accepted') }
  }

  @Get('stream')
  stream() {
    this.calls.count('stream')
    return new StreamableFile(Readable.from(['a', 'b', 'c']))
  }

  @Sse('events')
  events() {
    this.calls.count('events')
    return interval(5).pipe(
      take(3),
      map((i) => ({ data: { i } })),
    )
  }

  @Get('missing')
  missing() {
    this.calls.count('missing')
    throw new NotFoundException('no such thing')
  }

  @Get('boom')
  boom() {
    this.calls.count('boom')
    throw new Error('boom')
  }
}

@Controller('plain')
class PlainController {
  @Get()
  get() {
    return { plain: true }
  }
}

// Registered in the root module: outside (around) ResponseCacheInterceptor.
@Injectable()
class Envelope implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler) {
    return next.handle().pipe(map((data: unknown) => ({ data })))
  }
}

function appModule(cache: Cache, envelope: boolean) {
  @Module({
    imports: [ResponseCacheModule.forRoot({ cache, ttl: '30s' })],
    controllers: [ThingsController, PlainController],
    providers: [Calls, ...(envelope ? [{ provide: APP_INTERCEPTOR, useClass: Envelope }] : [])],
  })
  class AppModule {}
  return AppModule
}

describe.each(PLATFORMS)('ResponseCacheModule on %s', (platform) => {
  let cache: Cache
  let t: TestApp
  let calls: Calls
  beforeAll(async () => {
    cache = createCache({ namespace: 'test' })
    t = await startApp(platform, appModule(cache, false))
    calls = t.app.get(Calls)
  })
  afterAll(async () => {
    await t.close()
    await cache.close()
  })
  beforeEach(async () => {
    for (const name of Object.keys(calls.n)) delete calls.n[name]
    await cache.clear()
  })
  afterEach(() => {
    // No "Reply was already sent", no error logged by Nest: the cache never writes twice.
    expect(t.logged.filter((line) => !/no such thing|boom/.test(line))).toEqual([])
  })

  it('replays the stored status on a hit (203 from @HttpCode)', async () => {
    const miss = await call(`${t.url}/things/accepted`)
    const hit = await call(`${t.url}/things/accepted`)
    expect([miss.status, hit.status, hit.xCache, hit.json()]).toEqual([203, 203, 'HIT', { calls: 1 }])
  })

  it('leaves undecorated and @NoCache() routes alone', async () => {
    expect((await call(`${t.url}/plain`)).xCache).toBeNull()
    const fresh = [await call(`${t.url}/things/fresh`), await call(`${t.url}/things/fresh`)]
    expect(fresh.map((r) => [r.xCache, r.json().calls])).toEqual([
      [null, 1],
      [null, 2],
    ])
  })

  it('@InvalidateTags invalidates after a successful mutation (function and fixed tags)', async () => {
    await call(`${t.url}/things/tagged/a`)
    await call(`${t.url}/things/tagged/b`)
    expect((await call(`${t.url}/things/tagged/a`)).xCache).toBe('HIT')
    const put = await call(`${t.url}/things/tagged/a`, { method: 'PUT' })
    expect([put.status, put.xCache]).toEqual([200, 'BYPASS'])
    expect((await call(`${t.url}/things/tagged/a`)).json()).toEqual({ id: 'a', calls: 2 })
    expect((await call(`${t.url}/things/tagged/b`)).xCache).toBe('HIT')
    await call(`${t.url}/things/touch-all`, { method: 'POST' })
    expect((await call(`${t.url}/things/tagged/a`)).json()).toEqual({ id: 'a', calls: 3 })
    expect((await call(`${t.url}/things/tagged/b`)).json()).toEqual({ id: 'b', calls: 2 })
  })

  it('provides the module’s Cache as RESPONSE_CACHE', () => {
    expect(t.app.get(RESPONSE_CACHE)).toBe(cache)
  })

  it('takes options from a factory at request time; false disables caching', async () => {
    expect((await call(`${t.url}/things/factory`)).xCache).toBe('MISS')
    expect((await call(`${t.url}/things/factory`)).xCache).toBe('HIT')
    const off = await call(`${t.url}/things/factory?off=1`)
    expect([off.xCache, off.json()]).toEqual([null, { calls: 2 }])
  })

  it('caches a route that writes its own response (@Res()), and a 304 for it', async () => {
    const miss = await call(`${t.url}/things/raw`)
    const hit = await call(`${t.url}/things/raw`)
    expect([miss.xCache, hit.xCache, hit.json()]).toEqual(['MISS', 'HIT', { calls: 1 }])
    const etag = miss.headers.get('etag')!
    const revalidated = await call(`${t.url}/things/raw`, { headers: { 'if-none-match': etag } })
    expect([revalidated.status, revalidated.bytes.length]).toEqual([304, 0])
  })

  it('lets a stream pass through untouched and stores nothing', async () => {
    const one = await call(`${t.url}/things/stream`)
    const two = await call(`${t.url}/things/stream`)
    expect([one.text, two.text, two.xCache, calls.n.stream]).toEqual(['abc', 'abc', 'MISS', 2])
  })

  it('lets server-sent events stream through', async () => {
    const one = await call(`${t.url}/things/events`)
    const two = await call(`${t.url}/things/events`)
    expect(one.headers.get('content-type')).toMatch(/^text\/event-stream/)
    expect(one.text.match(/data: /g)?.length).toBe(3)
    expect([two.xCache, two.text.match(/data: /g)?.length, calls.n.events]).toEqual(['MISS', 3, 2])
  })

  it('sends exceptions through the exception filters; never stores them', async () => {
    const missing = [await call(`${t.url}/things/missing`), await call(`${t.url}/things/missing`)]
    expect(missing.map((r) => [r.status, r.json().message])).toEqual([
      [404, 'no such thing'],
      [404, 'no such thing'],
    ])
    const boom = [await call(`${t.url}/things/boom`), await call(`${t.url}/things/boom`)]
    expect(boom.map((r) => r.status)).toEqual([500, 500])
    expect([calls.n.missing, calls.n.boom]).toEqual([2, 2])
  })
})

describe.each(PLATFORMS)('an interceptor around ResponseCacheInterceptor on %s', (platform) => {
  it('sees its result on a miss and replaces Nest’s write on a hit: both answer the same bytes', async () => {
    const cache = createCache({ namespace: 'test' })
    const t = await startApp(platform, appModule(cache, true))
    try {
      const miss = await call(`${t.url}/things`)
      const hit = await call(`${t.url}/things`)
      expect([miss.json(), hit.xCache, hit.bytes.equals(miss.bytes)]).toEqual([
        { data: { calls: 1 } },
        'HIT',
        true,
      ])
      expect(t.logged).toEqual([])
    } finally {
      await t.close()
      await cache.close()
    }
  })
})

describe('a hit on Express behind a middleware that wraps res.end (like compression)', () => {
  it('goes through the wrapper once and leaves it in place', async () => {
    const cache = createCache({ namespace: 'test' })
    let wrapped = 0
    const t = await startApp('express', appModule(cache, false), (app) => {
      app.use((_req: unknown, res: { end: (...args: unknown[]) => unknown }, next: () => void) => {
        const end = res.end
        res.end = function (this: unknown, ...args: unknown[]) {
          wrapped++
          return end.apply(this, args)
        }
        next()
      })
    })
    try {
      const miss = await call(`${t.url}/things`)
      const before = wrapped
      const hit = await call(`${t.url}/things`)
      expect([hit.xCache, hit.bytes.equals(miss.bytes), wrapped - before]).toEqual(['HIT', true, 1])
      expect(t.logged).toEqual([])
    } finally {
      await t.close()
      await cache.close()
    }
  })
})
