import { createCache } from '@cache/core'
import { Module } from '@nestjs/common'
import { NestFactory } from '@nestjs/core'
import { describe, expect, it } from 'vitest'
import { ResponseCacheModule } from '../src/index.js'

const didYouMean = (name: string) =>
  expect.objectContaining({
    code: 'ERR_CACHE_INVALID_OPTION',
    message: expect.stringContaining(`did you mean "${name}"?`),
  })

describe('ResponseCacheModule options', () => {
  it('refuses an unknown key in forRoot at once, with a did-you-mean', () => {
    const cache = createCache()
    expect(() => ResponseCacheModule.forRoot({ cache, ttll: '1m' } as never)).toThrow(didYouMean('ttl'))
    expect(() => ResponseCacheModule.forRoot({ cache, isglobal: false } as never)).toThrow(
      didYouMean('isGlobal'),
    )
    expect(() => ResponseCacheModule.forRoot({ cache, isGlobal: false, closeCache: false })).not.toThrow()
  })

  it('refuses an unknown key in forRootAsync at once, and in what its factory returns at the start', async () => {
    const cache = createCache()
    expect(() => ResponseCacheModule.forRootAsync({ useFactroy: () => ({ cache }) } as never)).toThrow(
      didYouMean('useFactory'),
    )
    @Module({
      imports: [ResponseCacheModule.forRootAsync({ useFactory: () => ({ cache, closecache: true }) })],
    })
    class AppModule {}
    const start = NestFactory.createApplicationContext(AppModule, { logger: false, abortOnError: false })
    await expect(start).rejects.toThrow(didYouMean('closeCache'))
    await cache.close()
  })
})
