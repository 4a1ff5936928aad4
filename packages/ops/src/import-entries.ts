import { CacheError, errors, isCacheError } from '@cache/core'
import { assertKnownOptions, type OptionFlags, optionKeys } from '@cache/core/plugin'
import { copyBatch } from './copy-batch.js'
import { type EntryTarget, toEndpoint } from './entry-endpoint.js'
import {
  classifyEntry,
  type ExportedEntry,
  emptySkipCounts,
  type SkipCounts,
  type SkipEvent,
  totalSkipped,
} from './exported-entry.js'
import { VERSION_FLAGS, type VersionOptions, versionCheck } from './version-filter.js'

/** What {@link importEntries} takes: at least a key and the envelope bytes (the bytes are authoritative). */
export type ImportableEntry = Pick<ExportedEntry, 'key' | 'bytes'> & Partial<ExportedEntry>

/** Progress of an import, reported after every batch. */
export interface ImportProgress {
  /** Entries read so far. */
  processed: number
  /** Entries written (or, in a dry run, that would be). */
  imported: number
  /** Entries left out so far. */
  skipped: number
}

/** Options of {@link importEntries}. */
export interface ImportOptions extends VersionOptions {
  /** Replace entries the destination already holds. @default false (existing entries are kept and counted as `exists`) */
  overwrite?: boolean
  /** Only import entries of this namespace path (and its children); others count as `namespace`. @default undefined (all; a `Cache` takes only its own namespace) */
  namespace?: string
  /** Decide and count without writing. @default false */
  dryRun?: boolean
  /** Entries per lookup and write round trip. @default 200 */
  batchSize?: number
  /** Called for every entry left out. @default undefined */
  onSkip?: (event: SkipEvent) => void
  /** Called after every batch. @default undefined */
  onProgress?: (progress: ImportProgress) => void
  /** Stops the import between batches (what was written stays written and is counted). @default undefined */
  signal?: AbortSignal
}

/** Every key of {@link ImportOptions}, checked both ways by the compiler. */
export const IMPORT_FLAGS = {
  ...VERSION_FLAGS,
  overwrite: true,
  namespace: true,
  dryRun: true,
  batchSize: true,
  onSkip: true,
  onProgress: true,
  signal: true,
} as const satisfies OptionFlags<ImportOptions>

const IMPORT_OPTIONS = optionKeys<ImportOptions>(IMPORT_FLAGS)

/** Outcome of {@link importEntries}. */
export interface ImportResult {
  /** Entries read. */
  processed: number
  /** Entries written (or, in a dry run, that would be). */
  imported: number
  /** Entries left out, all reasons together. */
  skipped: number
  /** Entries left out, by reason. */
  skippedBy: SkipCounts
}

/**
 * Writes entries (from `exportEntries`, `readSnapshot` or your own) into a cache, store or
 * snapshot file, in batches. Each entry's envelope is checked first: another codec version, a
 * foreign value, a past grace window or a refused model version is skipped and counted, never
 * written. A store failure rejects with `ERR_CACHE_STORE` saying how many entries were written
 * before it, so an import never stops half-way silently.
 *
 * @example
 * const result = await importEntries(redisStore, readSnapshot('cache.jsonl'), { overwrite: false })
 */
export async function importEntries(
  target: EntryTarget,
  entries: Iterable<ImportableEntry> | AsyncIterable<ImportableEntry>,
  options: ImportOptions = {},
): Promise<ImportResult> {
  assertKnownOptions(options, IMPORT_OPTIONS, 'importEntries options')
  const to = toEndpoint(target, options.namespace, 'importEntries')
  const result: ImportResult = { processed: 0, imported: 0, skipped: 0, skippedBy: emptySkipCounts() }
  const rules = {
    overwrite: options.overwrite ?? false,
    dryRun: options.dryRun ?? false,
    check: versionCheck(options),
    skippedBy: result.skippedBy,
    onSkip: options.onSkip,
  }
  const size = options.batchSize ?? 200
  let batch: ExportedEntry[] = []
  const flush = async () => {
    options.signal?.throwIfAborted()
    try {
      result.imported += await copyBatch(batch, to, rules)
    } catch (error) {
      if (isCacheError(error, errors.ERR_CACHE_INVALID_OPTION)) throw error
      throw new CacheError(
        errors.ERR_CACHE_STORE,
        `import into ${to.label} failed after ${result.imported} entries were written: ${(error as Error).message}`,
        { cause: error },
      )
    }
    batch = []
    result.skipped = totalSkipped(result.skippedBy)
    options.onProgress?.({ processed: result.processed, imported: result.imported, skipped: result.skipped })
  }
  for await (const item of entries) {
    result.processed++
    const { entry, skip } = classifyEntry(item.key, item.bytes, Date.now(), false)
    if (entry === undefined) {
      result.skippedBy[skip.reason]++
      options.onSkip?.(skip)
      continue
    }
    if ('value' in item) entry.value = item.value
    batch.push(entry)
    if (batch.length >= size) await flush()
  }
  await flush()
  return result
}
