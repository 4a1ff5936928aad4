/**
 * `@cache/ops/tooling`: the building blocks of operational tools such as `cachectl`, below the
 * verbs of `@cache/ops`. Listing a store's keys (SCAN on every Redis master, Keyv iterators),
 * classifying raw entries, reading and writing snapshot files line by line, running work with
 * bounded concurrency, and telling running apps about an invalidation done behind their back.
 * Applications rarely need them; their shapes may change in a minor version while 0.x.
 */
export type { EndpointFactory, EntryEndpoint, ScanOptions } from './entry-endpoint.js'
export { type Classified, classifyEntry, readCodecVersion, totalSkipped } from './exported-entry.js'
export { publishInvalidation, TOOL_ORIGIN } from './publish-invalidation.js'
export { STATS_KEY_PREFIX } from './publish-stats.js'
export {
  isRedisStore,
  type RedisClientLike,
  type RedisLikeStore,
  type RedisNodeLike,
  type ScanRedisOptions,
  scanRedisKeys,
} from './redis-scan.js'
export {
  type RunFailure,
  type RunOptions,
  type RunProgress,
  runConcurrent,
} from './run-concurrent.js'
export {
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotHeader,
  type SnapshotLine,
} from './snapshot-format.js'
export { type ReadSnapshotOptions, readSnapshot, type SnapshotRecord } from './snapshot-reader.js'
export {
  type WriteSnapshotOptions,
  type WriteSnapshotResult,
  writeSnapshot,
} from './snapshot-writer.js'
export { canScan, type KeyListingStore, scanStoreKeys } from './store-scan.js'
export { VERSION_TAG_PREFIX, versionFromTags } from './version-filter.js'
