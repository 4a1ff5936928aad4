import { qualifyTags } from '@cache/core/layout'
import type { StoreWrite } from '@cache/core/plugin'
import type { ExportedEntry } from './exported-entry.js'

/**
 * The store write that puts an exported entry back exactly as it was: same envelope bytes, a
 * physical lifetime up to the end of its grace window (as `Cache` writes it), and its tags
 * qualified by the root namespace so `invalidateTags` finds it.
 */
export function toStoreWrite(entry: ExportedEntry, now = Date.now()): StoreWrite {
  return {
    key: entry.key,
    value: entry.bytes,
    ttl: entry.staleUntil - now,
    tags: qualifyTags(entry.key, entry.tags),
  }
}
