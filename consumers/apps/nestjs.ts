// The NestJS consumer app (Nest 10 to the newest major, on platform-express and platform-fastify
// as NEST_PLATFORM says, ESM and CommonJS): the routes the runner checks.
import 'reflect-metadata'
import { CacheResponse, InvalidateTags, ResponseCacheModule } from '@cache/nestjs'
import { Controller, Get, Headers, Inject, Module, Param, Post, Put } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { FastifyAdapter } from '@nestjs/platform-fastify'
import { AppState, announce, bearer, cacheOptions, closeOnSigterm, portOf } from './common.js'

@Controller()
class AppController {
  constructor(@Inject(AppState) private readonly state: AppState) {}

  @Get('items/:id')
  @CacheResponse({ tags: (req) => [`item:${req.params.id}`] })
  item(@Param('id') id: string) {
    return this.state.item(id)
  }

  // A 2xx mutation through a decorated route drops the cached GETs of its path.
  @Put('items/:id')
  @InvalidateTags((req) => [`item:${req.params.id}`])
  update(@Param('id') id: string) {
    return this.state.update(id)
  }

  // Another path: only the tag reaches items/:id.
  @Post('invalidate/:id')
  @InvalidateTags((req) => [`item:${req.params.id}`])
  invalidate(@Param('id') id: string) {
    return { invalidated: id }
  }

  @Get('me')
  @CacheResponse({ varyBy: { user: (req) => bearer(req.headers.authorization) } })
  me(@Headers('authorization') authorization?: string) {
    return { user: bearer(authorization) ?? null, calls: this.state.count('me') }
  }
}

@Module({
  // Given options, the module creates the cache, and closes it on app.close().
  imports: [ResponseCacheModule.forRoot({ cache: cacheOptions(), ttl: '60s' })],
  controllers: [AppController],
  providers: [{ provide: AppState, useValue: new AppState() }],
})
class AppModule {}

async function main(): Promise<void> {
  // abortOnError false: a failing start throws (and is printed below) instead of a silent exit.
  const options = { logger: false, abortOnError: false } as const
  const app =
    process.env.NEST_PLATFORM === 'fastify'
      ? await NestFactory.create(AppModule, new FastifyAdapter(), options)
      : await NestFactory.create(AppModule, options)
  await app.listen(0, '127.0.0.1')
  announce(portOf(app.getHttpServer()))
  // `app.close()` alone must end the process.
  closeOnSigterm(() => app.close())
}

main().catch((error: unknown) => {
  process.stderr.write(`startup failed: ${error instanceof Error ? error.stack : String(error)}\n`)
  // Exit now: what started before the failure (a Redis connection) would keep it alive.
  process.exit(1)
})
