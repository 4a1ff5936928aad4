import type { CacheEntry } from '../entry/entry.js'
import { LruMap, type LruNode } from '../stores/lru-map.js'
import type { ResolvedMemoryOptions } from '../stores/memory-options.js'
import { TagIndex } from '../stores/tag-index.js'

/**
 * L1: decoded entries in this process, so a hit costs a map lookup and no decoding. Bounded by
 * entries and bytes (the size is the encoded length, measured once at write time); entries are
 * dropped lazily once past `staleUntil`, never by a timer.
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
   * Stores `entry` whose encoded size is `byteLength`. Too large (over `maxEntryBytes`): not
   * stored, and the previous value under `key` is removed so it cannot be served any more.
   */
  set(key: string, entry: CacheEntry, byteLength: number): boolean {
    const size = key.length * 2 + byteLength
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
    if (!this.#lru.set(key, stored, size)) return false
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
