import type { CacheRecorder } from './cache-recorder.js'
import type { CacheEntry } from './entry/entry.js'
import { plainValueSize } from './entry/plain-value-size.js'
import type { StatsCounters } from './stats.js'
import type { LruNode } from './stores/lru-map.js'
import type { ResolvedMemoryOptions } from './stores/memory-options.js'
import { MemoryTier } from './tiers/memory-tier.js'

/** A namespace's index in the memory tier (see `MemoryTier.space`). */
export type LocalSpace = Map<string, LruNode<CacheEntry>>

/** An encoded entry's header and the value's tag and length: what {@link LocalCache.size} adds to the JSON. */
const ENVELOPE_BYTES = 34

/**
 * The local facade (L1): reads, writes and invalidations of this process's memory tier, with
 * their counters and events. It exists with the memory tier off too (`memory: false`): writes
 * are then still counted and emitted, and everything else does nothing.
 */
export class LocalCache {
  readonly #tier: MemoryTier | undefined
  readonly #recorder: CacheRecorder
  readonly #counters: StatsCounters
  readonly #encode: (entry: CacheEntry) => Uint8Array

  /**
   * @param memory The memory tier's options; `undefined` when it is off.
   * @param encode Encodes an entry: {@link size} uses it for values it cannot measure.
   */
  constructor(
    memory: ResolvedMemoryOptions | undefined,
    recorder: CacheRecorder,
    encode: (entry: CacheEntry) => Uint8Array,
  ) {
    this.#tier = memory === undefined ? undefined : new MemoryTier(memory)
    this.#recorder = recorder
    this.#counters = recorder.counters
    this.#encode = encode
  }

  /** True when the memory tier is on: entries read from L2 are kept. */
  get enabled(): boolean {
    return this.#tier !== undefined
  }

  /** Entries held and their bytes; `undefined` when the memory tier is off. */
  get usage(): { entries: number; bytes: number } | undefined {
    return this.#tier?.usage
  }

  /** The index of one namespace path for {@link read} and {@link peek}; `undefined` when the memory tier is off. */
  space(path: string): LocalSpace | undefined {
    return this.#tier?.space(path)
  }

  /**
   * Hot path: the servable entry under `local` in `space` at `now`, counted: a fresh one as a
   * memory hit and a hit (emitted under `prefix + local`), anything else as a memory miss. A
   * stale entry within grace is returned too, for `getOrSet` to serve.
   */
  read(space: LocalSpace, prefix: string, local: string, now: number): CacheEntry | undefined {
    const entry = this.#tier!.lookup(space, local, now)
    if (entry !== undefined && entry.expiresAt > now) this.#hit(prefix, local)
    else this.#counters.memory.misses++
    return entry
  }

  /**
   * Like {@link read}, but only a fresh entry is returned, and only it is counted: the `get` or
   * `getOrSet` that follows a miss counts the miss once.
   */
  peek(space: LocalSpace, prefix: string, local: string, now: number): CacheEntry | undefined {
    const entry = this.#tier!.lookup(space, local, now)
    if (entry === undefined || entry.expiresAt <= now) return undefined
    this.#hit(prefix, local)
    return entry
  }

  #hit(prefix: string, local: string): void {
    const c = this.#counters
    c.memory.hits++
    c.hits++
    // The key is built only for listeners: a hit allocates nothing.
    if (this.#recorder.emitter.has('hit')) this.#recorder.hit(prefix + local, 'memory', false)
  }

  /** The fresh entry under the full `key` at `now`, counted as {@link read} counts (for `getMany`). */
  readKey(key: string, now: number): CacheEntry | undefined {
    const tier = this.#tier
    if (tier === undefined) return undefined
    const entry = tier.get(key, now)
    if (entry !== undefined && entry.expiresAt > now) {
      this.#counters.memory.hits++
      this.#recorder.hit(key, 'memory')
      return entry
    }
    this.#counters.memory.misses++
    return undefined
  }

  /**
   * Writes an entry to L1, and counts and emits the write (the L2 part is the caller's). `size`
   * is its encoded length, or {@link size} when it is written to memory only; `space` and
   * `local` as in `MemoryTier.set`.
   */
  write(key: string, entry: CacheEntry, size: number, space?: LocalSpace, local?: string): void {
    this.#tier?.set(key, entry, size, space, local)
    this.#counters.sets++
    const emitter = this.#recorder.emitter
    if (emitter.has('set'))
      emitter.emit('set', { key, ttl: entry.expiresAt - entry.createdAt, tags: entry.tags })
  }

  /** Keeps an entry read from L2 (`size`: its encoded length); not a write, so not counted. */
  fill(key: string, entry: CacheEntry, size: number): void {
    this.#tier?.set(key, entry, size)
  }

  /**
   * The size L1 charges for an entry written to memory only, validating its value as `encode`
   * would: memory holds the value by reference, so a plain object or array (JSON with binary
   * leaves, such as a stored HTTP response) is measured without being encoded
   * ({@link plainValueSize}, plus the envelope's header and tags); anything else is encoded,
   * which refuses what the codec cannot round-trip.
   */
  size(entry: CacheEntry): number {
    const n = plainValueSize(entry.value)
    if (n < 0) return this.#encode(entry).byteLength
    let size = ENVELOPE_BYTES + n
    for (const tag of entry.tags) size += tag.length + 2
    return size
  }

  /** Removes `key`; true when it was held. */
  delete(key: string): boolean {
    return this.#tier?.delete(key) ?? false
  }

  /** Removes `key` if it still holds `value` (a write that an invalidation overtook). */
  deleteIf(key: string, value: unknown): void {
    this.#tier?.deleteIf(key, value)
  }

  /** Removes the entries carrying one of `tags`; how many went. */
  invalidateTags(tags: readonly string[]): number {
    return this.#tier?.invalidateTags(tags) ?? 0
  }

  /** Removes the entries under `prefixes`; how many went. */
  clear(prefixes: readonly string[]): number {
    return this.#tier?.clear(prefixes) ?? 0
  }

  /** The keys held under `prefix`. */
  keysWithPrefix(prefix: string): string[] {
    return this.#tier?.keysWithPrefix(prefix) ?? []
  }

  /** Drops everything (the bus came back after an outage, or the cache closes). */
  reset(): void {
    this.#tier?.reset()
  }
}
