import { decodeEntry } from '@cache/core/layout'
import type { EntryEndpoint } from './entry-endpoint.js'
import type { ExportedEntry, SkipCounts, SkipEvent } from './exported-entry.js'

/** How {@link copyBatch} decides and reports. */
export interface CopyRules {
  /** Write over entries the destination already holds. */
  overwrite: boolean
  /** Decide and count only; write nothing. */
  dryRun: boolean
  /** Model-version check: the skip of an entry that must not be copied. */
  check: (entry: ExportedEntry) => SkipEvent | undefined
  /** Counters to add skips to. */
  skippedBy: SkipCounts
  /** Reports each skip. */
  onSkip?: ((event: SkipEvent) => void) | undefined
}

/**
 * Copies the entries of `batch` that `to` may and should receive; resolves to how many were (or,
 * in a dry run, would be) written. An entry the destination already holds is never overwritten
 * unless `rules.overwrite`; each skip is counted by reason. Store failures reject.
 */
export async function copyBatch(
  batch: readonly ExportedEntry[],
  to: EntryEndpoint,
  rules: CopyRules,
): Promise<number> {
  const skip = (event: SkipEvent) => {
    rules.skippedBy[event.reason]++
    rules.onSkip?.(event)
  }
  // A key twice in one batch (a snapshot with a repeated line, SCAN returning a key twice): the
  // destination lookup cannot see the first copy yet, so the batch itself decides which one wins.
  const byKey = new Map<string, ExportedEntry>()
  for (const entry of batch) {
    const refused = to.refuse(entry) ?? rules.check(entry) ?? (to.needsValues ? decodeInto(entry) : undefined)
    if (refused !== undefined) skip(refused)
    else if (!byKey.has(entry.key)) byKey.set(entry.key, entry)
    else if (rules.overwrite) byKey.set(entry.key, entry)
    else skip({ key: entry.key, reason: 'exists' })
  }
  const candidates = [...byKey.values()]
  if (candidates.length === 0) return 0
  let chosen = candidates
  if (!rules.overwrite) {
    const present = await to.has(candidates.map((e) => e.key))
    chosen = candidates.filter((entry, i) => {
      if (!present[i]) return true
      skip({ key: entry.key, reason: 'exists' })
      return false
    })
  }
  if (chosen.length > 0 && !rules.dryRun) await to.write(chosen)
  return chosen.length
}

/** Decodes the value of `entry` in place; a value section that does not decode is an `invalid` skip. */
function decodeInto(entry: ExportedEntry): SkipEvent | undefined {
  if ('value' in entry) return undefined
  try {
    entry.value = decodeEntry(entry.bytes).value
    return undefined
  } catch (error) {
    return { key: entry.key, reason: 'invalid', detail: (error as Error).message }
  }
}
