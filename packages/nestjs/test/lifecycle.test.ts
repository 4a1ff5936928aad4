import { type Cache, createCache } from '@cache/core'
import { unreachableStore } from '@cache/test-utils'
import { type DynamicModule, type LoggerService, Module } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { describe, expect, it } from 'vitest'
import { RESPONSE_CACHE, ResponseCacheModule } from '../src/index.js'

const CLOSED = expect.objectContaining({ code: 'ERR_CACHE_CLOSED' })

/** Starts an application context importing `cacheModule`; `warnings` collects Nest's warnings. */
async function start(cacheModule: DynamicModule, warnings: string[] = []) {
  @Module({ imports: [cacheModule] })
  class AppModule {}
  const logger: LoggerService = {
    log() {},
    error() {},
    warn: (message: unknown) => warnings.push(String(message)),
  }
  return NestFactory.createApplicationContext(AppModule, { logger, abortOnError: false })
}

describe('ResponseCacheModule lifecycle', () => {
  it('closes the cache it created on app.close(), without enableShutdownHooks', async () => {
    const app = await start(ResponseCacheModule.forRoot({ cache: { namespace: 'made' } }))
    const made = app.get<Cache>(RESPONSE_CACHE)
    await expect(made.get('k')).resolves.toBeUndefined()
    await app.close()
    await expect(made.get('k')).rejects.toThrow(CLOSED)
  })

  it('leaves a Cache you passed open, unless closeCache: true; keeps one it made under closeCache: false', async () => {
    const yours = createCache()
    await (await start(ResponseCacheModule.forRoot({ cache: yours }))).close()
    await expect(yours.get('k')).resolves.toBeUndefined()
    await (await start(ResponseCacheModule.forRoot({ cache: yours, closeCache: true }))).close()
    await expect(yours.get('k')).rejects.toThrow(CLOSED)
    const kept = await start(
      ResponseCacheModule.forRootAsync({ useFactory: () => ({ cache: {}, closeCache: false }) }),
    )
    const made = kept.get<Cache>(RESPONSE_CACHE)
    await kept.close()
    await expect(made.get('k')).resolves.toBeUndefined()
  })

  it('starts with a cache that is not ready, with a warning', async () => {
    const warnings: string[] = []
    const app = await start(ResponseCacheModule.forRoot({ cache: { store: unreachableStore() } }), warnings)
    expect(warnings).toEqual([expect.stringMatching(/^The cache is not ready \(.+\): serving from memory/)])
    await app.close()
  })

  it('fails the start under requireReady, with the cause', async () => {
    const failed = start(
      ResponseCacheModule.forRoot({ cache: { store: unreachableStore() }, requireReady: true }),
    )
    await expect(failed).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } })
  })
})
