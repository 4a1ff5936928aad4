import { type Cache, CacheError, type Duration, errors, parseDuration, type WrapOptions } from '@cache/core'
import { Inject } from '@nestjs/common'
import { RESPONSE_CACHE } from './tokens.js'

/** Options of {@link Memoize}. */
export interface MemoizeOptions<A extends unknown[] = unknown[]> {
  /** Derives the key from the arguments (hashed canonically with `hashKey`). @default (...args) => args */
  key?: (...args: A) => unknown
  /** How long a result is fresh: ms or a duration string. @default the cache's `ttl` */
  ttl?: Duration
  /** How long past `ttl` a result may still be served (stale-if-error). @default the cache's `grace` */
  grace?: Duration | false
  /** Tags of the stored results, for `cache.invalidateTags()`: fixed, or from the arguments. @default [] */
  tags?: readonly string[] | ((...args: A) => readonly string[])
  /** Stable name of the method, part of every key. @default `${ClassName}.${methodName}` */
  name?: string
}

// Property injection of the cache into each instance: it needs no constructor metadata (which
// esbuild does not emit). A registry symbol: two copies of this package agree on it.
const CACHE = Symbol.for('@cache/nestjs.memoize-cache')

// The key and tags callbacks may take the first arguments only.
type AsyncMethod<A extends unknown[]> = (...args: [...A, ...never[]]) => Promise<unknown>
type Fn<R> = (...args: unknown[]) => R
/** The method as `cache.wrap` memoizes it: the instance first, then the call's arguments. */
type Bound = (self: object, ...args: unknown[]) => Promise<unknown>

/**
 * Memoizes an async method of any provider with the module's cache (Nest declined this feature:
 * nestjs/nest#1032), through `cache.wrap`. Calls with equal arguments (canonical encoding: key
 * order does not matter) share one result, computed once at a time per key (and once across
 * processes with Redis), in the cache's `wrap/<name>` namespace. Results must be values the cache
 * can encode.
 *
 * The provider must be created by Nest in a module that sees `ResponseCacheModule` (global by
 * default); an instance made with `new` calls the method directly.
 *
 * @example
 * @Memoize({ ttl: '5m', key: (id: string) => id, tags: (id) => [`user:${id}`] })
 * async findUser(id: string): Promise<User> { ... }
 */
export function Memoize<A extends unknown[] = never[]>(options: MemoizeOptions<A> = {}) {
  return <T extends AsyncMethod<A>>(
    target: object,
    property: string | symbol,
    descriptor: TypedPropertyDescriptor<T>,
  ): void => {
    const original = descriptor.value as Fn<Promise<unknown>> | undefined
    if (typeof original !== 'function') {
      throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, '@Memoize() decorates methods only')
    }
    Inject(RESPONSE_CACHE)(target, CACHE)
    const { ttl, grace, tags, name } = options
    // Bad durations fail when the class is defined, not at the first call.
    if (ttl !== undefined) parseDuration(ttl, 'ttl')
    if (grace !== undefined && grace !== false) parseDuration(grace, 'grace')
    const keyOf = (options.key ?? ((...args: unknown[]) => args)) as Fn<unknown>
    const wrapOptions: WrapOptions<[object, ...unknown[]]> = {
      name: name ?? `${target.constructor.name}.${String(property)}`,
      key: (_self, ...args) => keyOf(...args),
      ...(ttl === undefined ? {} : { ttl }),
      ...(grace === undefined ? {} : { grace }),
      ...(tags === undefined
        ? {}
        : {
            tags:
              typeof tags === 'function'
                ? (_self, ...args) => (tags as Fn<readonly string[]>)(...args)
                : tags,
          }),
    }
    const bound: Bound = (self, ...args) => original.apply(self, args)
    const wrapped = new WeakMap<Cache, Bound>()
    const memoized = function (this: { [CACHE]?: Cache }, ...args: unknown[]): Promise<unknown> {
      const cache = this[CACHE]
      if (cache === undefined) return original.apply(this, args)
      let fn = wrapped.get(cache)
      if (fn === undefined) wrapped.set(cache, (fn = cache.wrap(bound, wrapOptions)))
      return fn(this, ...args)
    }
    Object.defineProperty(memoized, 'name', { value: original.name })
    descriptor.value = memoized as unknown as T
  }
}
