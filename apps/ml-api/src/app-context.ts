import type { Cache } from '@cache/core'
import type { RedisStore } from '@cache/core/redis'
import type { BatchCache } from './cache/batch-cache.js'
import type { ChatCache } from './cache/chat-cache.js'
import type { VersionLedger } from './cache/version-ledger.js'
import type { AppConfig } from './config.js'
import type { ModelRegistry } from './models/model-registry.js'
import type { Metrics } from './stats/metrics.js'
import type { StatsHistory } from './stats/stats-history.js'
import type { UsageStats } from './stats/usage-stats.js'
import type { UpstreamClient } from './upstream/upstream-client.js'

/** Everything the routes share, built once by `buildApp`. */
export interface AppContext {
  /** The settings the app was built with. */
  readonly config: AppConfig
  /** The models served. */
  readonly models: ModelRegistry
  /** The cache (memory, or memory + Redis). */
  readonly cache: Cache
  /** The Redis store, when `REDIS_URL` is set. */
  readonly store: RedisStore | undefined
  /** 'memory' or 'redis'. */
  readonly backend: 'memory' | 'redis'
  /** Per-item caching of batch requests. */
  readonly batch: BatchCache
  /** Caching of upstream chat completions, when an upstream is configured. */
  readonly chat: ChatCache | undefined
  /** The upstream client, when `UPSTREAM_BASE_URL` is set. */
  readonly upstream: UpstreamClient | undefined
  /** The model versions with cached answers, to drop the older ones. */
  readonly ledger: VersionLedger
  /** JSON counters (`/cache/stats`, dashboard). */
  readonly stats: UsageStats
  /** The rolling series of the stats (`/cache/stats/history`, the dashboard's chart). */
  readonly history: StatsHistory
  /** Prometheus metrics (`/metrics`). */
  readonly metrics: Metrics
}
