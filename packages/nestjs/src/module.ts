import type { Cache } from '@cache/core'
import { createHttpCache, type HttpCache, type RouteCacheOptions } from '@cache/core/http'
import { ConfigurableModuleBuilder, Module } from '@nestjs/common'
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core'
import { ResponseCacheInterceptor } from './interceptor.js'
import { HTTP_RESPONSE_CACHE, type NestRequest, RESPONSE_CACHE } from './tokens.js'

/** Options of `ResponseCacheModule.forRoot()` (or what `forRootAsync`'s `useFactory` returns). */
export interface ResponseCacheModuleOptions extends RouteCacheOptions<NestRequest> {
  /** The cache of responses and memoized results (`createCache(...)`, memory or memory + Redis). */
  cache: Cache
  /** Child namespace of `cache` holding the responses (`@Memoize` uses `memo`). @default 'http' */
  namespace?: string
}

const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN, OPTIONS_TYPE, ASYNC_OPTIONS_TYPE } =
  new ConfigurableModuleBuilder<ResponseCacheModuleOptions>({ moduleName: 'ResponseCache' })
    .setClassMethodName('forRoot')
    // Global by default: `@Memoize()` and `@Inject(RESPONSE_CACHE)` work in every module.
    .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
    .build()

/** What `ResponseCacheModule.forRoot()` takes: module options plus `isGlobal` (default `true`). */
export type ResponseCacheModuleRootOptions = typeof OPTIONS_TYPE
/** What `ResponseCacheModule.forRootAsync()` takes: `useFactory`, `inject`, `imports` (or `useClass`), `isGlobal`. */
export type ResponseCacheModuleAsyncOptions = typeof ASYNC_OPTIONS_TYPE

/**
 * Response caching over the shared HTTP rules of `@cache/core/http`. Registers
 * {@link ResponseCacheInterceptor} globally (it acts on routes decorated with `@CacheResponse()` or
 * `@InvalidateTags()` only) and provides `RESPONSE_CACHE` (the `Cache`, for `@Memoize()` and your
 * own use) and `HTTP_RESPONSE_CACHE` (`invalidate({ paths, tags })`). Default route options are
 * validated when the module is created (`ERR_CACHE_INVALID_OPTION`). The cache is yours: close it
 * on shutdown.
 *
 * @example
 * ResponseCacheModule.forRoot({ cache: createCache({ namespace: 'app' }), ttl: '1m' })
 * ResponseCacheModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ cache: createCache(...), ttl: config.get('CACHE_TTL') }) })
 */
@Module({
  providers: [
    {
      provide: RESPONSE_CACHE,
      useFactory: (options: ResponseCacheModuleOptions) => options.cache,
      inject: [MODULE_OPTIONS_TOKEN],
    },
    {
      provide: HTTP_RESPONSE_CACHE,
      useFactory: (options: ResponseCacheModuleOptions) => createHttpCache<NestRequest>(options),
      inject: [MODULE_OPTIONS_TOKEN],
    },
    {
      provide: APP_INTERCEPTOR,
      useFactory: (http: HttpCache<NestRequest>, reflector: Reflector) =>
        new ResponseCacheInterceptor(http, reflector),
      inject: [HTTP_RESPONSE_CACHE, Reflector],
    },
  ],
  exports: [RESPONSE_CACHE, HTTP_RESPONSE_CACHE],
})
export class ResponseCacheModule extends ConfigurableModuleClass {}
