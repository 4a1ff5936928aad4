import { randomUUID } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import { CacheResponse } from '@cache/nestjs'
import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  HttpException,
  Inject,
  Post,
  Req,
  Res,
} from '@nestjs/common'
import { HttpAdapterHost } from '@nestjs/core'
import { AppState } from './app-state.service.js'
import { featuresOf, score } from './predict.js'

const bearer = (header: string | undefined) =>
  header?.startsWith('Bearer ') ? header.slice(7) || undefined : undefined

@Controller()
export class DemoController {
  constructor(
    @Inject(AppState) private readonly state: AppState,
    @Inject(HttpAdapterHost) private readonly adapterHost: HttpAdapterHost,
  ) {}

  // Cached by the canonical hash of the parsed body: key order and whitespace do not matter.
  // Invalid bodies answer 415 / 422 and are not stored (only 200s are).
  @Post('predict')
  @HttpCode(200)
  @CacheResponse({ methods: ['POST'] })
  async predict(@Body() body: unknown, @Headers('content-type') contentType?: string) {
    const features = featuresOf(contentType, body)
    await sleep(100)
    return { features, score: score(features), calls: this.state.count('predict') }
  }

  // Per-user caching: the key names the user, so one user's body never reaches another.
  @Get('me')
  @CacheResponse({ varyBy: { user: (req) => bearer(req.headers.authorization) } })
  me(@Headers('authorization') authorization?: string) {
    return { user: bearer(authorization) ?? null, calls: this.state.count('me') }
  }

  // Set-Cookie: never stored. The adapter sets the header on Express and Fastify alike.
  @Get('session')
  @CacheResponse()
  session(@Res({ passthrough: true }) res: unknown) {
    const sid = randomUUID()
    this.adapterHost.httpAdapter.setHeader(res, 'set-cookie', `sid=${sid}; Path=/; HttpOnly`)
    return { sid, calls: this.state.count('session') }
  }

  // Cache-Control: private: never stored.
  @Get('private')
  @CacheResponse()
  @Header('cache-control', 'private, max-age=60')
  private() {
    return { calls: this.state.count('private') }
  }

  // Cache-Control: no-store and Vary: *: never stored (RFC 9111 §3, §4.1).
  @Get('no-store')
  @CacheResponse()
  @Header('cache-control', 'no-store')
  noStore() {
    return { calls: this.state.count('no-store') }
  }

  @Get('vary-star')
  @CacheResponse()
  @Header('vary', '*')
  varyStar() {
    return { calls: this.state.count('vary-star') }
  }

  // Short TTL and a grace window: after expiry a failing call is answered with the stale body.
  @Get('flaky')
  @CacheResponse({ ttl: '1s', grace: '30s' })
  flaky() {
    const calls = this.state.count('flaky')
    if (calls % 2 === 1) throw new HttpException({ error: { code: 'FLAKY', message: 'odd calls fail' } }, 500)
    return { calls }
  }

  // Concurrent identical misses run the handler once.
  @Get('slow')
  @CacheResponse()
  async slow() {
    const calls = this.state.count('slow')
    await sleep(300)
    return { calls }
  }

  @Get('lang')
  @CacheResponse()
  @Header('vary', 'Accept-Language')
  lang(@Headers('accept-language') header?: string) {
    const lang = (header ?? 'en').split(/[,;]/)[0]!.trim().toLowerCase() || 'en'
    return { lang, calls: this.state.count('lang') }
  }

  @Get('stale')
  @CacheResponse({ ttl: '1s', grace: '30s' })
  stale() {
    return { calls: this.state.count('stale') }
  }

  // Echoes the host its handler read (port included) on either platform: the key must hold it
  // exactly so.
  @Get('host')
  @CacheResponse()
  host(@Req() req: { host?: string }) {
    return { host: req.host ?? null, calls: this.state.count('host') }
  }

  // Not decorated: never cached.
  @Get('__calls')
  calls() {
    return this.state.calls
  }

  // The bus counters, so that the contract can wait until every process has seen the others' invalidations.
  @Get('__bus')
  bus() {
    return this.state.bus()
  }

  @Post('__reset')
  @HttpCode(200)
  async reset() {
    await this.state.reset()
    return { reset: true }
  }
}
