import { CacheError, errors, isCacheError } from '@cache/core'
import { assertKnownOptions, optionKeys } from '@cache/core/plugin'
import { copyBatch } from './copy-batch.js'
import { type EntryEndpoint, type EntryTarget, toEndpoint } from './entry-endpoint.js'
import { emptySkipCounts, type SkipCounts, type SkipEvent, totalSkipped } from './exported-entry.js'
import { VERSION_FLAGS, type VersionOptions, versionCheck } from './version-filter.js'

/** Which way {@link syncCaches} copies: `pull` remote → local, `push` local → remote, or both. */
export type SyncDirection = 'pull' | 'push' | 'both'

/** A skip during a sync, with the side the entry was read from. */
export interface SyncSkipEvent extends SkipEvent {
  /** Side the entry comes from. */
  from: 'local' | 'remote'
}

/** Progress of a sync, reported after every batch. */
export interface SyncProgress {
  /** The pass running now. */
  pass: 'pull' | 'push'
  /** Entries read so far, both passes together. */
  scanned: number
  /** Counts so far. */
  pulled: number
  pushed: number
  skipped: number
}

/** Options of {@link syncCaches}. */
export interface SyncOptions extends VersionOptions {
  /** Which way to copy. @default 'both' */
  direction?: SyncDirection
  /** Compute and count what would be copied, write nothing. @default false */
  dryRun?: boolean
  /** Only this namespace path and its children. @default undefined (every key; a `Cache` side uses its own namespace) */
  namespace?: string
  /** Entries per scan, lookup and write round trip. @default 500 */
  batchSize?: number
  /** Called for every entry left out. @default undefined */
  onSkip?: (event: SyncSkipEvent) => void
  /** Called after every batch. @default undefined */
  onProgress?: (progress: SyncProgress) => void
  /** Stops between batches. @default undefined */
  signal?: AbortSignal
}

const SYNC_OPTIONS = optionKeys<SyncOptions>({
  ...VERSION_FLAGS,
  direction: true,
  dryRun: true,
  namespace: true,
  batchSize: true,
  onSkip: true,
  onProgress: true,
  signal: true,
})

/** Outcome of {@link syncCaches}. */
export interface SyncResult {
  /** Entries copied remote → local (or, in a dry run, that would be). */
  pulled: number
  /** Entries copied local → remote (or, in a dry run, that would be). */
  pushed: number
  /** Entries one side lacked but that were not copied (codec or model version, past grace, not an entry, outside the namespace). */
  skipped: number
  /** `skipped` by reason (`exists` is always 0 here: see `unchanged`). */
  skippedBy: SkipCounts
  /** Keys both sides hold: never overwritten, whatever their contents. */
  unchanged: number
  /** True when nothing was written. */
  dryRun: boolean
}

/**
 * Brings two caches in step the way EDSL's remote-cache sync does: each side gets the entries it
 * lacks from the other; a key both sides hold is left alone on both (never overwritten). An
 * entry of another codec version, or of a model version not accepted (`modelVersion`), is
 * skipped and counted, never copied. Sides may be stores, caches (through their store) or
 * snapshot files (`snapshotFile(path)`); both are scanned in batches, so memory stays bounded
 * (a snapshot side keeps its key list in memory for lookups).
 *
 * @example
 * const { pulled, pushed, skipped } = await syncCaches(laptopStore, redisStore, { direction: 'both' })
 * console.log(`${pulled} pulled, ${pushed} pushed, ${skipped} skipped`)
 */
export async function syncCaches(
  local: EntryTarget,
  remote: EntryTarget,
  options: SyncOptions = {},
): Promise<SyncResult> {
  assertKnownOptions(options, SYNC_OPTIONS, 'syncCaches options')
  const direction = options.direction ?? 'both'
  if (direction !== 'pull' && direction !== 'push' && direction !== 'both') {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, `direction must be 'pull', 'push' or 'both'`)
  }
  const localSide = toEndpoint(local, options.namespace, 'syncCaches')
  const remoteSide = toEndpoint(remote, options.namespace, 'syncCaches')
  const result: SyncResult = {
    pulled: 0,
    pushed: 0,
    skipped: 0,
    skippedBy: emptySkipCounts(),
    unchanged: 0,
    dryRun: options.dryRun ?? false,
  }
  const state = { scanned: 0 }
  if (direction !== 'push') {
    const { copied, both } = await pass('pull', remoteSide, localSide, options, result, state)
    result.pulled = copied
    result.unchanged = both
  }
  if (direction !== 'pull') {
    const { copied, both } = await pass('push', localSide, remoteSide, options, result, state)
    result.pushed = copied
    // In 'both', the pull pass already met every key the two sides share.
    if (direction === 'push') result.unchanged = both
  }
  result.skipped = totalSkipped(result.skippedBy)
  return result
}

async function pass(
  name: 'pull' | 'push',
  from: EntryEndpoint,
  to: EntryEndpoint,
  options: SyncOptions,
  result: SyncResult,
  state: { scanned: number },
): Promise<{ copied: number; both: number }> {
  const side = name === 'pull' ? 'remote' : 'local'
  const counts = emptySkipCounts()
  const onSkip = (event: SkipEvent) => options.onSkip?.({ ...event, from: side })
  const rules = {
    overwrite: false,
    dryRun: options.dryRun ?? false,
    check: versionCheck(options),
    skippedBy: counts,
    onSkip: (event: SkipEvent) => {
      // A key the destination holds is not a skip: it is in step (`unchanged`).
      if (event.reason !== 'exists') onSkip(event)
    },
  }
  const scanSkip = (event: SkipEvent) => {
    counts[event.reason]++
    onSkip(event)
  }
  let copied = 0
  const scan = from.scan({ batchSize: options.batchSize ?? 500, onSkip: scanSkip, signal: options.signal })
  for await (const batch of scan) {
    state.scanned += batch.length
    try {
      copied += await copyBatch(batch, to, rules)
    } catch (error) {
      if (isCacheError(error, errors.ERR_CACHE_INVALID_OPTION)) throw error
      // Say what was already copied: a sync never stops half-way silently.
      const pulled = name === 'pull' ? copied : result.pulled
      const pushed = name === 'push' ? copied : 0
      throw new CacheError(
        errors.ERR_CACHE_STORE,
        `${name} into ${to.label} failed after ${pulled} pulled, ${pushed} pushed: ${(error as Error).message}`,
        { cause: error },
      )
    }
    options.onProgress?.({
      pass: name,
      scanned: state.scanned,
      pulled: name === 'pull' ? copied : result.pulled,
      pushed: name === 'push' ? copied : 0,
      skipped: totalSkipped(result.skippedBy) + totalSkipped(counts) - counts.exists,
    })
  }
  const both = counts.exists
  counts.exists = 0
  for (const reason of Object.keys(counts) as (keyof SkipCounts)[]) result.skippedBy[reason] += counts[reason]
  return { copied, both }
}
