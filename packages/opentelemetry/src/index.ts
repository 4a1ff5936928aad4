/**
 * `@cache/opentelemetry`: OpenTelemetry spans of the operations that `@cache/core` caches publish
 * on `diagnostics_channel` (see `instrumentCache` of `@cache/core/trace`).
 */
export { type SpanLike, type TracerLike, traceWithOpenTelemetry } from './trace-with-open-telemetry.js'
