import { appendFile, stat } from 'node:fs/promises'
import { inPrefixes, namespacePrefixes } from '@cache/core/layout'
import type { EndpointFactory, EntryEndpoint } from './entry-endpoint.js'
import { classifyEntry, type ExportedEntry } from './exported-entry.js'
import { formatEntryLine, snapshotHeader } from './snapshot-format.js'
import { readSnapshot } from './snapshot-reader.js'

/**
 * A snapshot file as a side of `syncCaches`, `importEntries` or `exportEntries`: read line by
 * line, and written by appending lines (a missing file is created with its header). To answer
 * "does the file hold this key", the keys and their grace deadlines (not the values) are loaded
 * once, on the first lookup.
 *
 * @example
 * await syncCaches(snapshotFile('warm.jsonl'), redisStore, { direction: 'push' })
 */
export function snapshotFile(path: string): EndpointFactory & { readonly path: string } {
  return { path, toEndpoint: (namespace) => snapshotEndpoint(path, namespace) }
}

async function exists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).size > 0
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
}

function snapshotEndpoint(path: string, namespace: string | undefined): EntryEndpoint {
  const prefixes = namespacePrefixes(namespace)
  let index: Map<string, number> | undefined
  const loadIndex = async (): Promise<Map<string, number>> => {
    if (index !== undefined) return index
    const keys = new Map<string, number>()
    if (await exists(path)) {
      for await (const record of readSnapshot(path)) {
        const { entry } = classifyEntry(record.key, record.bytes, 0)
        keys.set(record.key, entry?.staleUntil ?? 0)
      }
    }
    return (index = keys)
  }
  return {
    label: `snapshot ${path}`,
    async *scan(o) {
      if (!(await exists(path))) return
      let batch: ExportedEntry[] = []
      for await (const record of readSnapshot(path)) {
        if (!inPrefixes(record.key, prefixes)) continue
        const { entry, skip } = classifyEntry(record.key, record.bytes, Date.now())
        if (entry === undefined) o.onSkip(skip)
        else batch.push(entry)
        if (batch.length >= o.batchSize) {
          o.signal?.throwIfAborted()
          yield batch
          batch = []
        }
      }
      if (batch.length > 0) yield batch
    },
    async has(keys) {
      const known = await loadIndex()
      const now = Date.now()
      return keys.map((k) => (known.get(k) ?? 0) > now)
    },
    refuse: (entry) =>
      inPrefixes(entry.key, prefixes) ? undefined : { key: entry.key, reason: 'namespace' },
    async write(entries) {
      const known = await loadIndex()
      let text = (await exists(path)) ? '' : `${JSON.stringify(snapshotHeader(namespace, 'sync'))}\n`
      for (const e of entries) {
        text += `${formatEntryLine(e)}\n`
        known.set(e.key, e.staleUntil)
      }
      await appendFile(path, text)
    },
  }
}
