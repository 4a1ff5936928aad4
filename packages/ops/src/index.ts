/**
 * `@cache/ops`: operating a cache built with `@cache/core`. Export and import entries, snapshot
 * files (JSON Lines), sync between two stores or a store and a file, prewarming, and stats
 * publishing. Loads no store client: Redis and Keyv stores are recognised by shape. The building
 * blocks of tools such as `cachectl` are on `@cache/ops/tooling`.
 */

export type { EntryTarget } from './entry-endpoint.js'
export { type ExportOptions, exportEntries } from './export-entries.js'
export type { ExportedEntry, SkipCounts, SkipEvent, SkipReason } from './exported-entry.js'
export {
  type ImportableEntry,
  type ImportOptions,
  type ImportProgress,
  type ImportResult,
  importEntries,
} from './import-entries.js'
export type { OpsTarget } from './ops-source.js'
export { type PrewarmOptions, type PrewarmProgress, type PrewarmResult, prewarm } from './prewarm.js'
export {
  type PublishedStats,
  type PublishStatsOptions,
  publishStats,
  readPublishedStats,
} from './publish-stats.js'
export type { RunFailure } from './run-concurrent.js'
export { snapshotFile } from './snapshot-file.js'
export type { SnapshotHeader } from './snapshot-format.js'
export {
  type ExportSnapshotOptions,
  type ExportSnapshotResult,
  exportSnapshot,
  type ImportSnapshotOptions,
  type ImportSnapshotResult,
  importSnapshot,
} from './snapshot-ops.js'
export { type InvalidLine, type SnapshotValidation, validateSnapshot } from './snapshot-reader.js'
export type { WriteSnapshotResult } from './snapshot-writer.js'
export {
  type SyncDirection,
  type SyncOptions,
  type SyncProgress,
  type SyncResult,
  type SyncSkipEvent,
  syncCaches,
} from './sync-caches.js'
export type { AcceptedVersions, VersionOf, VersionOptions } from './version-filter.js'
