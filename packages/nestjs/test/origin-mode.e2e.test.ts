import { createCache } from '@cache/core'
import { Controller, Get, Headers, Module, Res } from '@nestjs/common'
import { afterEach, describe, expect, it } from 'vitest'
import { CacheResponse, ResponseCacheModule } from '../src/index.js'
import { call, PLATFORMS, startApp, type TestApp } from './start-app.js'

let calls = 0
const seen: (string | undefined)[] = []

// The handler sets its own Cache-Control, as it would for a CDN; the cache reads it.
@Controller('origin')
@CacheResponse({ freshness: 'origin' })
class OriginController {
  @Get('shared')
  shared(@Res({ passthrough: true }) res: { header(name: string, value: string): unknown }) {
    res.header('Cache-Control', 'public, max-age=0, s-maxage=60')
    return { call: ++calls }
  }

  @Get('no-cache')
  noCache(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) res: {
      header(name: string, value: string): unknown
      status(code: number): unknown
    },
  ) {
    seen.push(ifNoneMatch)
    res.header('Cache-Control', 'no-cache')
    res.header('ETag', '"v1"')
    // Answered as an origin does (Fastify has no automatic 304): the stored copy is still good.
    if (ifNoneMatch === '"v1"') {
      res.status(304)
      return
    }
    return { body: 'the body' }
  }
}

@Module({
  imports: [ResponseCacheModule.forRoot({ cache: createCache({ namespace: 'origin' }) })],
  controllers: [OriginController],
})
class OriginModule {}

let app: TestApp | undefined
afterEach(async () => {
  await app?.close()
  app = undefined
  calls = 0
  seen.length = 0
})

describe.each(PLATFORMS)("freshness: 'origin' through Nest on %s", (platform) => {
  it('obeys the handler’s own Cache-Control (s-maxage for this cache)', async () => {
    app = await startApp(platform, OriginModule)
    await call(`${app.url}/origin/shared`)
    const hit = await call(`${app.url}/origin/shared`)
    expect([hit.xCache, hit.json(), calls]).toEqual(['HIT', { call: 1 }, 1])
  })

  it('revalidates a no-cache response through the handler, sending it the stored validator', async () => {
    app = await startApp(platform, OriginModule)
    await call(`${app.url}/origin/no-cache`)
    const again = await call(`${app.url}/origin/no-cache`)
    expect([again.status, again.json(), again.xCache]).toEqual([200, { body: 'the body' }, 'HIT'])
    expect(again.headers.get('cache-status')).toMatch(/^cache; fwd=stale; fwd-status=304; ttl=(0|-1)$/)
    expect(seen).toEqual([undefined, '"v1"'])
  })
})
