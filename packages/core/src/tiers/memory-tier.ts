import type { CacheEntry } from '../entry/entry.js'
import { LruMap, type LruNode } from '../stores/lru-map.js'
import type { ResolvedMemoryOptions } from '../stores/memory-options.js'
import { TagIndex } from '../stores/tag-index.js'

/**
 * Heap an L1 entry costs beyond its key and value: its LRU node, envelope, key strings, numbers
 * and index slots. Measured on Node 22 with `--expose-gc`: about 310 bytes.
 */
export const ENTRY_OVERHEAD = 320

/**
 * Decoded objects, arrays, maps and sets take about this many times their encoded size on the
 * heap (every small field is a property slot, often a boxed number); strings and binary values
 * about 1×.
 */
export const STRUCTURED_FACTOR = 2.5

/**
 * Estimated heap of an L1 entry, what `memory.maxBytes` bounds: key (2 bytes per char), value
 * (its encoded length, times {@link STRUCTURED_FACTOR} for structured values) and
 * {@link ENTRY_OVERHEAD}. Counting encoded bytes alone let 64 MB of small entries hold 5 times that.
 */
export function entryHeapBytes(key: string, value: unknown, byteLength: number): number {
  const structured = typeof value === 'object' && value !== null && !ArrayBuffer.isView(value)
  return (
    key.length * 2 + ENTRY_OVERHEAD + (structured ? Math.ceil(byteLength * STRUCTURED_FACTOR) : byteLength)
  )
}

/**
 * L1: decoded entries in this process, so a hit costs a map lookup and no decoding. Bounded by
 * entries and by an estimate of the heap they hold ({@link entryHeapBytes}, measured once at
 * write time); entries are dropped lazily once past `staleUntil`, never by a timer.
 *
 * Hits return the stored value itself, as lru-cache does: callers must not mutate cached values.
 */
export class MemoryTier {
  readonly #options: ResolvedMemoryOptions
  readonly #tags = new TagIndex()
  readonly #lru: LruMap<CacheEntry>

  constructor(options: ResolvedMemoryOptions) {
    this.#options = options
    this.#lru = new LruMap<CacheEntry>(options, (key, entry) => {
      if (entry.tags.length > 0) this.#tags.remove(key, entry.tags)
    })
  }

  /** Entries and bytes held. */
  get usage(): { entries: number; bytes: number } {
    return { entries: this.#lru.size, bytes: this.#lru.bytes }
  }

  /** Resolved limits of this tier. */
  get options(): ResolvedMemoryOptions {
    return this.#options
  }

  /** The index of one namespace path, for {@link lookup}. */
  space(path: string): Map<string, LruNode<CacheEntry>> {
    return this.#lru.space(path)
  }

  /**
   * Hot path: the servable entry under `local` in a namespace index from {@link space}, or
   * `undefined`. Same rules as {@link get}.
   */
  lookup(space: Map<string, LruNode<CacheEntry>>, local: string, now: number): CacheEntry | undefined {
    const node = space.get(local)
    if (node === undefined) return undefined
    const entry = node.value
    if (entry.staleUntil <= now) {
      this.#lru.delete(node.key)
      return undefined
    }
    this.#lru.touch(node)
    return entry
  }

  /** The entry under `key` if it is still servable (fresh or within grace) at `now`. */
  get(key: string, now: number): CacheEntry | undefined {
    const entry = this.#lru.get(key)
    if (entry === undefined) return undefined
    if (entry.staleUntil <= now) {
      this.#lru.delete(key)
      return undefined
    }
    return entry
  }

  /**
   * Stores `entry` whose encoded size is `byteLength` (or its estimate, `LocalCache.size`).
   * Too large (its estimated heap over `maxEntryBytes`): not stored, and the previous value under
   * `key` is removed so it cannot be served any more. `space` (from {@link space}) and `local`
   * are the key's namespace index and local part, when the caller has them: the hot write path
   * skips splitting the key.
   */
  set(
    key: string,
    entry: CacheEntry,
    byteLength: number,
    space?: Map<string, LruNode<CacheEntry>>,
    local?: string,
  ): boolean {
    const size = entryHeapBytes(key, entry.value, byteLength)
    if (size > this.#options.maxEntryBytes) {
      this.#lru.delete(key)
      return false
    }
    let stored = entry
    const cap = Date.now() + this.#options.maxTtl
    // memory.maxTtl bounds L1 staleness when another process's invalidation is missed.
    if (entry.staleUntil > cap) {
      stored = { ...entry, expiresAt: Math.min(entry.expiresAt, cap), staleUntil: cap }
    }
    const ok =
      space === undefined || local === undefined
        ? this.#lru.set(key, stored, size)
        : this.#lru.setIn(space, local, key, stored, size)
    if (!ok) return false
    if (stored.tags.length > 0) this.#tags.add(key, stored.tags)
    return true
  }

  /** Removes `key`; true when it was held. */
  delete(key: string): boolean {
    return this.#lru.delete(key)
  }

  /** Removes `key` if it still holds `value` (not a newer write). */
  deleteIf(key: string, value: unknown): void {
    if (this.#lru.peek(key)?.value === value) this.#lru.delete(key)
  }

  /** Removes every entry carrying one of `tags`; returns how many. */
  invalidateTags(tags: readonly string[]): number {
    let n = 0
    for (const key of this.#tags.keysFor(tags)) if (this.#lru.delete(key)) n++
    return n
  }

  /** Removes every key starting with one of `prefixes`; returns how many. */
  clear(prefixes: readonly string[]): number {
    let n = 0
    for (const key of [...this.#lru.keys()]) {
      if (prefixes.some((p) => key.startsWith(p)) && this.#lru.delete(key)) n++
    }
    return n
  }

  /** Keys starting with `prefix` (a snapshot). */
  keysWithPrefix(prefix: string): string[] {
    return [...this.#lru.keys()].filter((k) => k.startsWith(prefix))
  }

  /** Drops everything. */
  reset(): void {
    this.#lru.clear()
    this.#tags.clear()
  }
}
