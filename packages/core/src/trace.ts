/**
 * `@cache/core/trace`: the cache operations published over `diagnostics_channel`. The engine
 * publishes, plugins subscribe: `@cache/opentelemetry` turns the events into spans,
 * `@cache/prometheus` times loader runs, and an application can subscribe to the channels itself.
 * Costs one branch per call while nobody listens, and loads no dependency.
 */
export { CACHE_CHANNELS, type CacheTraceContext, instrumentCache } from './trace/trace-channels.js'
