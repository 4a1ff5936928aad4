import type { Readable, Writable } from 'node:stream'
import { assertKnownOptions, optionKeys } from '@cache/core/plugin'
import type { EntryTarget } from './entry-endpoint.js'
import { EXPORT_FLAGS, type ExportOptions, exportEntries } from './export-entries.js'
import { emptySkipCounts, type SkipCounts } from './exported-entry.js'
import { IMPORT_FLAGS, type ImportOptions, type ImportResult, importEntries } from './import-entries.js'
import { isStore } from './ops-source.js'
import { type InvalidLine, readSnapshot } from './snapshot-reader.js'
import { type WriteSnapshotOptions, type WriteSnapshotResult, writeSnapshot } from './snapshot-writer.js'

/** Options of {@link exportSnapshot}: what to export, and how to write the file. */
export type ExportSnapshotOptions = ExportOptions & Omit<WriteSnapshotOptions, 'namespace'>

const EXPORT_SNAPSHOT_OPTIONS = optionKeys<ExportSnapshotOptions>({
  ...EXPORT_FLAGS,
  source: true,
  onProgress: true,
})

/** Outcome of {@link exportSnapshot}. */
export interface ExportSnapshotResult extends WriteSnapshotResult {
  /** Entries left out, by reason (another codec version, not an entry, past grace). */
  skippedBy: SkipCounts
}

/**
 * Writes the entries of a store or cache to a snapshot file (streaming; the file appears only
 * once complete).
 *
 * @example
 * const { entries } = await exportSnapshot(redisStore, 'cache.jsonl', { namespace: 'app' })
 */
export async function exportSnapshot(
  source: EntryTarget,
  output: string | Writable,
  options: ExportSnapshotOptions = {},
): Promise<ExportSnapshotResult> {
  assertKnownOptions(options, EXPORT_SNAPSHOT_OPTIONS, 'exportSnapshot options')
  const skippedBy = emptySkipCounts()
  const entries = exportEntries(source, {
    namespace: options.namespace,
    decode: options.decode,
    batchSize: options.batchSize,
    signal: options.signal,
    onSkip: (event) => {
      skippedBy[event.reason]++
      options.onSkip?.(event)
    },
  })
  const written = await writeSnapshot(entries, output, {
    namespace: options.namespace,
    source: options.source ?? (isStore(source) ? source.name : undefined),
    onProgress: options.onProgress,
    signal: options.signal,
  })
  return { ...written, skippedBy }
}

/** Options of {@link importSnapshot}. */
export interface ImportSnapshotOptions extends ImportOptions {
  /**
   * What to do with malformed lines: `'reject'` stops at the first one (entries before it stay
   * written), `'skip'` leaves them out and reports them in the result. Validate first with
   * `validateSnapshot` to refuse a damaged file before anything is written.
   * @default 'reject'
   */
  invalidLines?: 'reject' | 'skip'
}

const IMPORT_SNAPSHOT_OPTIONS = optionKeys<ImportSnapshotOptions>({ ...IMPORT_FLAGS, invalidLines: true })

/** Outcome of {@link importSnapshot}. */
export interface ImportSnapshotResult extends ImportResult {
  /** Malformed lines left out (only with `invalidLines: 'skip'`). */
  invalidLines: number
  /** The first malformed lines, with reasons. */
  problems: InvalidLine[]
}

/**
 * Loads a snapshot file into a store or cache, line by line.
 *
 * @example
 * const r = await importSnapshot(redisStore, 'cache.jsonl', { overwrite: false })
 * console.log(`${r.imported} imported, ${r.skipped} skipped`)
 */
export async function importSnapshot(
  target: EntryTarget,
  input: string | Readable,
  options: ImportSnapshotOptions = {},
): Promise<ImportSnapshotResult> {
  assertKnownOptions(options, IMPORT_SNAPSHOT_OPTIONS, 'importSnapshot options')
  const { invalidLines, ...importOptions } = options
  const invalid = { count: 0, problems: [] as InvalidLine[] }
  const records = readSnapshot(input, {
    ...(invalidLines === 'skip'
      ? {
          onInvalidLine: (p: InvalidLine) => {
            invalid.count++
            if (invalid.problems.length < 20) invalid.problems.push(p)
          },
        }
      : {}),
  })
  const result = await importEntries(target, records, importOptions)
  return { ...result, invalidLines: invalid.count, problems: invalid.problems }
}
