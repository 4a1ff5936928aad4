/**
 * `@cache/core/metrics`: Prometheus metrics (`registerCacheMetrics`, with `prom-client`, an
 * optional peer dependency loaded on its first call) and tracing of cache operations over
 * `diagnostics_channel`, with a bridge to OpenTelemetry that needs neither `prom-client` nor
 * `@opentelemetry/api`.
 */
export { type SpanLike, type TracerLike, traceWithOpenTelemetry } from './ops/metrics/otel-bridge.js'
export {
  type CacheMetrics,
  type CacheMetricsOptions,
  registerCacheMetrics,
} from './ops/metrics/prometheus-exporter.js'
export { CACHE_CHANNELS, type CacheTraceContext, instrumentCache } from './ops/metrics/trace-channels.js'
