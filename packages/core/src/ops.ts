/**
 * `@cache/core/ops`: operating a cache. Export and import entries, snapshot files (JSON Lines),
 * local ↔ remote sync, prewarming, and stats publishing for `cachectl`. Loads no store client:
 * Redis and Keyv stores are recognised by shape.
 */

export type { BusMessage } from './bus/invalidation-bus.js'
export { namespacePrefixes, qualifyTags, rootNamespace, splitKey } from './keys/key-layout.js'
export type {
  EndpointFactory,
  EntryEndpoint,
  EntryTarget,
  ScanOptions,
} from './ops/entry-endpoint.js'
export { type ExportOptions, exportEntries } from './ops/export-entries.js'
export {
  classifyEntry,
  type ExportedEntry,
  readCodecVersion,
  type SkipCounts,
  type SkipEvent,
  type SkipReason,
  totalSkipped,
} from './ops/exported-entry.js'
export {
  type ImportableEntry,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  importEntries,
} from './ops/import-entries.js'
export type { OpsTarget } from './ops/ops-source.js'
export { type PrewarmOptions, type PrewarmProgress, type PrewarmResult, prewarm } from './ops/prewarm.js'
export { publishInvalidation, TOOL_ORIGIN } from './ops/publish-invalidation.js'
export {
  type PublishedStats,
  type PublishStatsOptions,
  publishStats,
  readPublishedStats,
  STATS_KEY_PREFIX,
} from './ops/publish-stats.js'
export { isRedisStore, type RedisLikeStore, type ScanRedisOptions, scanRedisKeys } from './ops/redis-scan.js'
export {
  type RunFailure,
  type RunOptions,
  type RunProgress,
  runConcurrent,
} from './ops/run-concurrent.js'
export { snapshotFile } from './ops/snapshot-file.js'
export {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotHeader,
  type SnapshotLine,
} from './ops/snapshot-format.js'
export {
  type ExportSnapshotOptions,
  type ExportSnapshotResult,
  exportSnapshot,
  type ImportSnapshotOptions,
  type ImportSnapshotResult,
  importSnapshot,
} from './ops/snapshot-ops.js'
export {
  type InvalidLine,
  type ReadSnapshotOptions,
  readSnapshot,
  type SnapshotRecord,
  type SnapshotValidation,
  validateSnapshot,
} from './ops/snapshot-reader.js'
export {
  type WriteSnapshotOptions,
  type WriteSnapshotResult,
  writeSnapshot,
} from './ops/snapshot-writer.js'
export { canScan, type KeyListingStore, scanStoreKeys } from './ops/store-scan.js'
export {
  type SyncDirection,
  type SyncOptions,
  type SyncProgress,
  type SyncResult,
  type SyncSkipEvent,
  syncCaches,
} from './ops/sync-caches.js'
export {
  type AcceptedVersions,
  VERSION_TAG_PREFIX,
  type VersionOf,
  type VersionOptions,
  versionFromTags,
} from './ops/version-filter.js'
