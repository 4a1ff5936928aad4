import diagnostics from 'node:diagnostics_channel'
import { CACHE_CHANNELS, type CacheTraceContext } from '@cache/core/trace'

/**
 * The part of an OpenTelemetry `Tracer` (from `@opentelemetry/api`) the bridge uses. Typed by
 * shape so that this package needs no dependency on it (nor pins its version): pass
 * `trace.getTracer('cache')`.
 */
export interface TracerLike {
  startSpan(name: string, options?: { attributes?: Record<string, string | number | boolean> }): SpanLike
}

/** The part of an OpenTelemetry `Span` the bridge uses. */
export interface SpanLike {
  setAttribute(key: string, value: string | number | boolean): unknown
  recordException(exception: Error): unknown
  setStatus(status: { code: number; message?: string }): unknown
  end(): unknown
}

// SpanStatusCode.ERROR of @opentelemetry/api.
const STATUS_ERROR = 2
const SPAN = Symbol('span')

/**
 * Turns the cache operations published by instrumented caches (`instrumentCache` of
 * `@cache/core/trace`) into OpenTelemetry spans: `cache.get`, `cache.set` and `cache.load`, with
 * the namespace and key as attributes, `cache.hit` on gets, and errors recorded. Returns a
 * function that stops it.
 *
 * @example
 * import { trace } from '@opentelemetry/api'
 * import { instrumentCache } from '@cache/core/trace'
 * instrumentCache(cache)
 * const stop = traceWithOpenTelemetry(trace.getTracer('@cache/core'))
 */
export function traceWithOpenTelemetry(tracer: TracerLike): () => void {
  const subscriptions = Object.values(CACHE_CHANNELS).map((name) => {
    const channel = diagnostics.tracingChannel<unknown, CacheTraceContext>(name)
    const handlers = {
      start(ctx: CacheTraceContext) {
        ctx[SPAN as unknown as string] = tracer.startSpan(`cache.${ctx.operation}`, {
          attributes: { 'cache.name': ctx.cache, 'cache.namespace': ctx.namespace, 'cache.key': ctx.key },
        })
      },
      end() {},
      asyncStart() {},
      asyncEnd(ctx: CacheTraceContext) {
        const span = ctx[SPAN as unknown as string] as SpanLike | undefined
        if (span === undefined) return
        if (ctx.operation === 'get' && !('error' in ctx))
          span.setAttribute('cache.hit', ctx.result !== undefined)
        span.end()
      },
      error(ctx: CacheTraceContext) {
        const span = ctx[SPAN as unknown as string] as SpanLike | undefined
        const error = ctx.error instanceof Error ? ctx.error : new Error(String(ctx.error))
        span?.recordException(error)
        span?.setStatus({ code: STATUS_ERROR, message: error.message })
      },
    }
    channel.subscribe(handlers)
    return () => channel.unsubscribe(handlers)
  })
  return () => {
    for (const unsubscribe of subscriptions) unsubscribe()
  }
}
