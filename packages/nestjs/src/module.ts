import { type AdapterCache, type AdapterCacheOptions, adapterCache } from '@cache/core/http'
import { ConfigurableModuleBuilder, Module } from '@nestjs/common'
import { APP_INTERCEPTOR, Reflector } from '@nestjs/core'
import { ResponseCacheLifecycle } from './cache-lifecycle.js'
import { ResponseCacheInterceptor } from './interceptor.js'
import {
  ADAPTER_CACHE,
  CACHE_LIFECYCLE,
  HTTP_RESPONSE_CACHE,
  type NestRequest,
  RESPONSE_CACHE,
} from './tokens.js'

/**
 * Options of `ResponseCacheModule.forRoot()` (or what `forRootAsync`'s `useFactory` returns):
 * the cache (a `Cache`, or the options of one the module creates and closes with the app), its
 * lifecycle (`closeCache`, `requireReady`), `namespace`, and the default route options.
 */
export interface ResponseCacheModuleOptions extends AdapterCacheOptions<NestRequest> {}

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
 * own use) and `HTTP_RESPONSE_CACHE` (`invalidate({ paths, tags })`). Options are validated when
 * the module is created (`ERR_CACHE_INVALID_OPTION`).
 *
 * Lifecycle: the app's start (`app.init()`, `app.listen()`) waits for `cache.ready()` (a cache not
 * ready logs a warning, or fails the start under `requireReady`); `app.close()` closes the cache
 * when the module owns it (`closeCache`).
 *
 * @example
 * ResponseCacheModule.forRoot({ cache: { store: new RedisStore({ url }) }, ttl: '1m' })
 * ResponseCacheModule.forRootAsync({ imports: [ConfigModule], inject: [ConfigService],
 *   useFactory: (config: ConfigService) => ({ cache: { namespace: 'app' }, ttl: config.get('CACHE_TTL') }) })
 */
@Module({
  providers: [
    {
      provide: ADAPTER_CACHE,
      useFactory: (options: ResponseCacheModuleOptions) =>
        adapterCache<NestRequest>(options, '@cache/nestjs'),
      inject: [MODULE_OPTIONS_TOKEN],
    },
    {
      provide: RESPONSE_CACHE,
      useFactory: (adapter: AdapterCache<NestRequest>) => adapter.cache,
      inject: [ADAPTER_CACHE],
    },
    {
      provide: HTTP_RESPONSE_CACHE,
      useFactory: (adapter: AdapterCache<NestRequest>) => adapter.http,
      inject: [ADAPTER_CACHE],
    },
    {
      provide: APP_INTERCEPTOR,
      useFactory: (adapter: AdapterCache<NestRequest>, reflector: Reflector) =>
        new ResponseCacheInterceptor(adapter.http, reflector),
      inject: [ADAPTER_CACHE, Reflector],
    },
    {
      provide: CACHE_LIFECYCLE,
      useFactory: (adapter: AdapterCache<NestRequest>) => new ResponseCacheLifecycle(adapter),
      inject: [ADAPTER_CACHE],
    },
  ],
  exports: [RESPONSE_CACHE, HTTP_RESPONSE_CACHE],
})
export class ResponseCacheModule extends ConfigurableModuleClass {}
