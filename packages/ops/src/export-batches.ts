import type { CacheStore } from '@cache/core'
import { classifyEntry, type ExportedEntry, type SkipEvent } from './exported-entry.js'
import { scanStoreKeys } from './store-scan.js'

/** Options of {@link exportBatches}. */
export interface ExportBatchOptions {
  /** Decode each value into `entry.value`. @default false */
  decode?: boolean | undefined
  /** Keys read per store round trip. @default 500 */
  batchSize?: number | undefined
  /** Called for every entry left out. @default undefined */
  onSkip?: ((event: SkipEvent) => void) | undefined
  /** Stops between batches. @default undefined */
  signal?: AbortSignal | undefined
}

/**
 * The entries of `store` under `prefixes`, one batch per scan round trip: keys are listed,
 * read with one `getMany`, and their headers checked. Entries that vanished between the listing
 * and the read (expired, deleted) are simply absent.
 */
export async function* exportBatches(
  store: CacheStore,
  prefixes: readonly string[],
  options: ExportBatchOptions = {},
): AsyncGenerator<ExportedEntry[]> {
  for await (const keys of scanStoreKeys(store, prefixes, options.batchSize ?? 500)) {
    options.signal?.throwIfAborted()
    const values = await store.getMany(keys)
    const now = Date.now()
    const batch: ExportedEntry[] = []
    keys.forEach((key, i) => {
      const bytes = values[i]
      if (bytes === undefined) return
      const { entry, skip } = classifyEntry(key, bytes, now, options.decode)
      if (entry !== undefined) batch.push(entry)
      else options.onSkip?.(skip)
    })
    if (batch.length > 0) yield batch
  }
}
