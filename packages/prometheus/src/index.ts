/**
 * `@cache/prometheus`: Prometheus metrics of `@cache/core` caches with `prom-client` (a peer
 * dependency), read from `cache.stats()` at scrape time.
 */
export {
  type CacheMetrics,
  type CacheMetricsOptions,
  registerCacheMetrics,
} from './register-cache-metrics.js'
