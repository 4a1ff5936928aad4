import { decodeEntry } from '@cache/core/layout'
import { assertKnownOptions, type OptionFlags, optionKeys } from '@cache/core/plugin'
import { type EntryTarget, toEndpoint } from './entry-endpoint.js'
import type { ExportedEntry, SkipEvent } from './exported-entry.js'

/** Options of {@link exportEntries}. */
export interface ExportOptions {
  /**
   * Only entries of this namespace path and its children (`'app'` gives `app:*` and `app/*`).
   * @default the cache's namespace for a `Cache`; every key for a store or snapshot
   */
  namespace?: string
  /** Decode each value into `entry.value` (costs a full decode per entry). @default false */
  decode?: boolean
  /** Keys read per store round trip. @default 500 */
  batchSize?: number
  /** Called for every entry left out (other codec version, not an entry, past grace), so nothing disappears silently. @default undefined */
  onSkip?: (event: SkipEvent) => void
  /** Stops the export between batches. @default undefined */
  signal?: AbortSignal
}

/**
 * Streams the entries of a store, a cache (through its store) or a snapshot file with their
 * remaining TTL, tags and codec version, in batches: memory stays bounded by one batch whatever
 * the size of the source.
 *
 * @example
 * for await (const e of exportEntries(redisStore, { namespace: 'app' })) console.log(e.key, e.ttlRemaining, e.tags)
 */
export function exportEntries(
  source: EntryTarget,
  options: ExportOptions = {},
): AsyncGenerator<ExportedEntry> {
  // At the call, not at the first `next()`: bad options fail where they are written.
  assertKnownOptions(options, EXPORT_OPTIONS, 'exportEntries options')
  return exportAll(source, options)
}

/** Every key of {@link ExportOptions}, checked both ways by the compiler. */
export const EXPORT_FLAGS = {
  namespace: true,
  decode: true,
  batchSize: true,
  onSkip: true,
  signal: true,
} as const satisfies OptionFlags<ExportOptions>

const EXPORT_OPTIONS = optionKeys<ExportOptions>(EXPORT_FLAGS)

async function* exportAll(source: EntryTarget, options: ExportOptions): AsyncGenerator<ExportedEntry> {
  const from = toEndpoint(source, options.namespace, 'exportEntries')
  const batches = from.scan({
    batchSize: options.batchSize ?? 500,
    onSkip: (event) => options.onSkip?.(event),
    signal: options.signal,
  })
  for await (const batch of batches) {
    for (const entry of batch) {
      if (options.decode && !('value' in entry)) {
        try {
          entry.value = decodeEntry(entry.bytes).value
        } catch (error) {
          options.onSkip?.({ key: entry.key, reason: 'invalid', detail: (error as Error).message })
          continue
        }
      }
      yield entry
    }
  }
}
