import { parseDuration } from './duration.js'
import type { CacheEntry } from './entry/entry.js'
import type { EntryCodecOptions } from './entry/entry-codec.js'
import { encodeEntry } from './entry/index.js'
import { CacheError, errors } from './errors.js'
import { assertJitter, type ResolvedCacheOptions } from './options.js'
import type { WriteOptions } from './write-options.js'

/** The tags of an entry written without any (shared: entries' tags are never mutated). */
const NO_TAGS: readonly string[] = Object.freeze([])

// Jitter spreads a wave of writes so their expiries do not line up (thundering herd on expiry).
function jittered(ttl: number, jitter: number): number {
  if (jitter > 0 && Number.isFinite(ttl))
    return Math.max(1, Math.round(ttl * (1 + (Math.random() * 2 - 1) * jitter)))
  return ttl
}

function entry<T>(value: T, now: number, ttl: number, grace: number, tags: readonly string[]): CacheEntry<T> {
  const expiresAt = now + ttl
  return { value, createdAt: now, expiresAt, staleUntil: expiresAt + grace, tags }
}

/** The cache options an {@link EntryFactory} reads. */
export type EntryDefaults = Pick<ResolvedCacheOptions, 'ttl' | 'grace' | 'ttlJitter' | 'compressThreshold'>

/** Builds the envelopes of writes from the cache's defaults and per-write options, and encodes them. */
export class EntryFactory {
  readonly #defaults: EntryDefaults
  readonly #codec: EntryCodecOptions

  constructor(defaults: EntryDefaults) {
    this.#defaults = defaults
    this.#codec = { compressThreshold: defaults.compressThreshold }
  }

  /** Builds the envelope of a write: TTL with jitter, grace window, tags. Throws on bad options. */
  make<T>(value: T, opts: WriteOptions | undefined, now = Date.now()): CacheEntry<T> {
    const o = this.#defaults
    // The common `set(key, value)`: the cache's own options, already validated.
    if (opts === undefined) return entry(value, now, jittered(o.ttl, o.ttlJitter), o.grace, NO_TAGS)
    const ttl = opts.ttl === undefined ? o.ttl : parseDuration(opts.ttl, 'ttl')
    const jitter = opts.ttlJitter ?? o.ttlJitter
    if (opts.ttlJitter !== undefined) assertJitter(jitter)
    const grace =
      opts.grace === undefined ? o.grace : opts.grace === false ? 0 : parseDuration(opts.grace, 'grace')
    const tags = opts.tags ?? NO_TAGS
    if (!Array.isArray(tags) || tags.some((t) => typeof t !== 'string' || t.length === 0)) {
      throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'tags must be an array of non-empty strings')
    }
    return entry(value, now, jittered(ttl, jitter), grace, tags)
  }

  /** Encodes an entry; `ERR_CACHE_UNENCODABLE_VALUE` propagates so nothing is written. */
  encode(entry: CacheEntry): Uint8Array {
    return encodeEntry(entry, this.#codec)
  }
}
