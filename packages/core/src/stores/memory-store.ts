import { CacheError, errors } from '../errors.js'
import { LruMap } from './lru-map.js'
import { type MemoryOptions, type ResolvedMemoryOptions, resolveMemoryOptions } from './memory-options.js'
import {
  globToRegExp,
  type InspectableStore,
  STORE_CONTRACT_VERSION,
  type StoreCapabilities,
  type StoreStats,
  type StoreWrite,
} from './store.js'
import { TagIndex } from './tag-index.js'

interface Slot {
  bytes: Uint8Array
  expiresAt: number
  tags: readonly string[]
}

/**
 * An in-process byte store implementing the store contract: LRU bounded by entries and bytes
 * (keys + values counted), lazy expiry with no timer per key. The `Cache` keeps its own L1 of
 * decoded values; this store is what you pass as `store` when you want an explicit in-process
 * L2 (tests, single-process apps), and it anchors the conformance suite.
 */
export class MemoryStore implements InspectableStore {
  /** @inheritdoc */
  readonly name = 'memory'
  /** @inheritdoc */
  readonly contractVersion = STORE_CONTRACT_VERSION
  /** @inheritdoc */
  readonly capabilities: StoreCapabilities = { shared: false, persistent: false }
  readonly #options: ResolvedMemoryOptions
  readonly #tags = new TagIndex()
  readonly #lru: LruMap<Slot>
  #closed = false

  constructor(options: MemoryOptions = {}) {
    this.#options = resolveMemoryOptions(options, 'MemoryStore')
    this.#lru = new LruMap<Slot>(this.#options, (key, slot) => this.#tags.remove(key, slot.tags))
  }

  /** Entries and bytes currently held. */
  get usage(): { entries: number; bytes: number } {
    return { entries: this.#lru.size, bytes: this.#lru.bytes }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return this.#read(key)
  }

  async getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    this.#assertOpen()
    return keys.map((key) => this.#read(key))
  }

  async set(key: string, value: Uint8Array, ttl: number, tags: readonly string[] = []): Promise<void> {
    this.#write(key, value, ttl, tags)
  }

  async setMany(writes: readonly StoreWrite[]): Promise<void> {
    this.#assertOpen()
    for (const w of writes) this.#write(w.key, w.value, w.ttl, w.tags ?? [])
  }

  async delete(key: string): Promise<boolean> {
    this.#assertOpen()
    const slot = this.#lru.peek(key)
    if (slot === undefined) return false
    this.#lru.delete(key)
    return slot.expiresAt > Date.now()
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    this.#assertOpen()
    let removed = 0
    for (const key of this.#tags.keysFor(tags)) if (this.#lru.delete(key)) removed++
    return removed
  }

  async clear(prefix: string): Promise<number> {
    this.#assertOpen()
    let removed = 0
    for (const key of [...this.#lru.keys()]) if (key.startsWith(prefix) && this.#lru.delete(key)) removed++
    return removed
  }

  /** Live keys starting with `prefix` (a snapshot taken now), for export and sync. */
  keys(prefix = ''): string[] {
    this.#assertOpen()
    const now = Date.now()
    const out: string[] = []
    for (const [key, slot] of this.#lru.entries())
      if (key.startsWith(prefix) && slot.expiresAt > now) out.push(key)
    return out
  }

  async storeStats(prefixes: readonly string[]): Promise<StoreStats> {
    this.#assertOpen()
    let entries = 0
    for (const key of this.#lru.keys()) if (prefixes.some((p) => key.startsWith(p))) entries++
    return { entries, memoryBytes: this.#lru.bytes }
  }

  async clearMatching(pattern: string): Promise<number> {
    this.#assertOpen()
    const re = globToRegExp(pattern)
    let removed = 0
    for (const key of [...this.#lru.keys()]) if (re.test(key) && this.#lru.delete(key)) removed++
    return removed
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    this.#lru.clear()
  }

  #read(key: string): Uint8Array | undefined {
    this.#assertOpen()
    const slot = this.#lru.get(key)
    if (slot === undefined) return undefined
    if (slot.expiresAt <= Date.now()) {
      this.#lru.delete(key)
      return undefined
    }
    return slot.bytes
  }

  #write(key: string, value: Uint8Array, ttl: number, tags: readonly string[]): void {
    this.#assertOpen()
    // Strings count at 2 bytes per UTF-16 code unit, as V8 may store them.
    const size = key.length * 2 + value.byteLength
    if (size > this.#options.maxEntryBytes || ttl <= 0) {
      this.#lru.delete(key)
      return
    }
    // Copy: the caller may reuse its buffer, and a store must hand back exactly what was written.
    const slot: Slot = { bytes: new Uint8Array(value), expiresAt: Date.now() + ttl, tags }
    if (this.#lru.set(key, slot, size)) this.#tags.add(key, tags)
  }

  #assertOpen(): void {
    if (this.#closed) throw new CacheError(errors.ERR_CACHE_CLOSED, 'MemoryStore is closed')
  }
}
