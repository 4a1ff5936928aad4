import {
  ADAPTER_OPTION_KEYS,
  type AdapterCache,
  type AdapterCacheOptions,
  adapterCache,
} from '@cache/core/http/adapter'
import { assertKnownOptions } from '@cache/core/plugin'
import { ConfigurableModuleBuilder, type DynamicModule, Module } from '@nestjs/common'
import { APP_INTERCEPTOR, ModulesContainer, Reflector } from '@nestjs/core'
import { ResponseCacheLifecycle } from './cache-lifecycle.js'
import { CacheScope, scopeOwners } from './cache-scope.js'
import { ResponseCacheInterceptor } from './interceptor.js'
import {
  ADAPTER_CACHE,
  CACHE_LIFECYCLE,
  CACHE_SCOPE,
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

const ASYNC_KEYS = [
  'imports',
  'inject',
  'useFactory',
  'useClass',
  'useExisting',
  'provideInjectionTokensFrom',
  'isGlobal',
]

/**
 * Response caching over the shared HTTP rules of `@cache/core/http`. Registers
 * {@link ResponseCacheInterceptor} globally (it acts on routes decorated with `@CacheResponse()` or
 * `@InvalidateTags()` only) and provides `RESPONSE_CACHE` (the `Cache`, for `@Memoize()` and your
 * own use) and `HTTP_RESPONSE_CACHE` (`invalidate({ paths, tags })`). Options are validated when
 * the module is created (`ERR_CACHE_INVALID_OPTION`, unknown keys included).
 *
 * Lifecycle: the app's start (`app.init()`, `app.listen()`) waits for `cache.ready()` (a cache not
 * ready logs a warning, or fails the start under `requireReady`); `app.close()` closes the cache
 * when the module owns it (`closeCache`).
 *
 * Several modules may each import their own `forRoot`: a controller's cached routes use the cache
 * its module imports, or the global one when it imports none.
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
      useFactory: (options: ResponseCacheModuleOptions) => {
        assertKnownOptions(options, ADAPTER_OPTION_KEYS, 'ResponseCacheModule options')
        return adapterCache<NestRequest>(options, '@cache/nestjs')
      },
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
      // One per forRoot, each acting on the routes of the controllers its cache serves.
      useFactory: (
        adapter: AdapterCache<NestRequest>,
        reflector: Reflector,
        scope: CacheScope,
        modules: ModulesContainer,
      ) =>
        new ResponseCacheInterceptor(adapter.http, reflector, (controller) => {
          const owner = scopeOwners(modules).get(controller)
          return owner === undefined || owner === scope
        }),
      inject: [ADAPTER_CACHE, Reflector, CACHE_SCOPE, ModulesContainer],
    },
    {
      provide: CACHE_LIFECYCLE,
      useFactory: (adapter: AdapterCache<NestRequest>, modules: ModulesContainer) =>
        new ResponseCacheLifecycle(adapter, modules),
      inject: [ADAPTER_CACHE, ModulesContainer],
    },
  ],
  exports: [RESPONSE_CACHE, HTTP_RESPONSE_CACHE],
})
export class ResponseCacheModule extends ConfigurableModuleClass {
  /** The module with these options (`isGlobal`, default `true`, plus {@link ResponseCacheModuleOptions}). */
  static forRoot(options: ResponseCacheModuleRootOptions): DynamicModule {
    assertKnownOptions(options, [...ADAPTER_OPTION_KEYS, 'isGlobal'], 'ResponseCacheModule.forRoot()')
    const { isGlobal = true, ...moduleOptions } = options
    return {
      module: ResponseCacheModule,
      global: isGlobal,
      providers: [
        // A factory, not `useValue`: Nest 10 serialises a `useValue` into the module's identity,
        // and a cache's store holds a whole Redis client.
        { provide: MODULE_OPTIONS_TOKEN, useFactory: () => moduleOptions },
        { provide: CACHE_SCOPE, useValue: new CacheScope() },
      ],
    }
  }

  /** The module with options from a factory (`useFactory` + `inject`, `useClass`, `useExisting`), `isGlobal`. */
  static forRootAsync(options: ResponseCacheModuleAsyncOptions): DynamicModule {
    assertKnownOptions(options, ASYNC_KEYS, 'ResponseCacheModule.forRootAsync()')
    // biome-ignore lint/complexity/noThisInStatic: `super` keeps `this`, the module Nest registers, our class.
    const module = super.forRootAsync(options)
    return {
      ...module,
      providers: [...(module.providers ?? []), { provide: CACHE_SCOPE, useValue: new CacheScope() }],
    }
  }
}
