import diagnostics from 'node:diagnostics_channel'
import type { Cache } from '../cache.js'
import type { GetOrSetOptions, Loader } from '../get-or-set.js'

/** What a traced cache operation publishes on its channel (one object per call, shared by its events). */
export interface CacheTraceContext {
  /** `get`, `set` or `load` (a `getOrSet` loader run). */
  operation: 'get' | 'set' | 'load'
  /** Root namespace of the cache: the `cache` label of metrics. */
  cache: string
  /** Namespace path of the call. */
  namespace: string
  /** Full store key. */
  key: string
  /** Set by the channel when the operation resolves (for `get`, `undefined` means a miss). */
  result?: unknown
  /** Set by the channel when the operation rejects. */
  error?: unknown
  /** Free slot for subscribers (a span, a start time). */
  [extra: string]: unknown
}

/**
 * Names of the `diagnostics_channel` tracing channels the instrumented caches publish on
 * (`tracing:cache:get:start`, `...:asyncEnd`, `...:error` and so on). Subscribe with
 * `diagnostics_channel.tracingChannel(CACHE_CHANNELS.get).subscribe({...})`, or install a plugin
 * that does: `@cache/opentelemetry` (spans), `@cache/prometheus` (load durations).
 */
export const CACHE_CHANNELS = { get: 'cache:get', set: 'cache:set', load: 'cache:load' } as const

const channels = {
  get: diagnostics.tracingChannel<unknown, CacheTraceContext>(CACHE_CHANNELS.get),
  set: diagnostics.tracingChannel<unknown, CacheTraceContext>(CACHE_CHANNELS.set),
  load: diagnostics.tracingChannel<unknown, CacheTraceContext>(CACHE_CHANNELS.load),
}

type Channel = (typeof channels)[keyof typeof channels]

function active(channel: Channel): boolean {
  // Checked per call, so an instrumented cache costs one branch while nobody listens.
  return (
    channel.start.hasSubscribers ||
    channel.end.hasSubscribers ||
    channel.asyncEnd.hasSubscribers ||
    channel.error.hasSubscribers
  )
}

function traced<T>(channel: Channel, context: CacheTraceContext, fn: () => Promise<T>): Promise<T> {
  if (!active(channel)) return fn()
  return channel.tracePromise(fn, context) as Promise<T>
}

const INSTRUMENTED = Symbol.for('@cache/core/instrumented')

/**
 * Makes `cache` (and every namespace later made from it) publish `get`, `set` and loader runs
 * of `getOrSet` on the {@link CACHE_CHANNELS} tracing channels. Works by wrapping the methods of
 * this instance, so the core needs no hook; idempotent. Returns the same cache.
 *
 * @example
 * instrumentCache(cache)
 * traceWithOpenTelemetry(trace.getTracer('cache')) // from @cache/opentelemetry
 */
export function instrumentCache(cache: Cache): Cache {
  const c = cache as Cache & Record<symbol, boolean>
  if (c[INSTRUMENTED]) return cache
  c[INSTRUMENTED] = true
  const namespace = cache.namespacePath
  const root = namespace.split('/')[0]!
  const ctx = (operation: CacheTraceContext['operation'], key: unknown): CacheTraceContext => ({
    operation,
    cache: root,
    namespace,
    key: cache.fullKey(key),
  })
  const { get, set, getOrSet, namespace: child } = cache
  Object.assign(cache, {
    get: (key: unknown) => traced(channels.get, ctx('get', key), () => get.call(cache, key)),
    set: (key: unknown, value: unknown, options?: object) =>
      traced(channels.set, ctx('set', key), () => set.call(cache, key, value, options)),
    getOrSet: (key: unknown, loader: Loader<unknown>, options?: GetOrSetOptions) => {
      if (typeof loader !== 'function') return getOrSet.call(cache, key, loader, options)
      const timed: Loader<unknown> = (context) =>
        traced(channels.load, ctx('load', key), async () => loader(context))
      return getOrSet.call(cache, key, timed, options)
    },
    namespace: (name: string) => instrumentCache(child.call(cache, name)),
  })
  return cache
}
