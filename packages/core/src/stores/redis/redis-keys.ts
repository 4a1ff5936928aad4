import { createHash } from 'node:crypto'
import { isWellFormed } from '../../bytes/byte-writer.js'

/** Longest key (in UTF-8 bytes) stored as is; longer keys keep a readable head plus a digest. */
export const MAX_RAW_KEY_BYTES = 200

/**
 * Maps a cache key to a Redis key of at most ~250 bytes whatever the input. Keys that are short
 * and well-formed pass unchanged (readable in `redis-cli`). Longer keys keep their first 120
 * UTF-8 bytes, so namespace prefixes and `SCAN MATCH prefix*` still work, followed by `#` and a
 * SHA-256 of the full key. Ill-formed keys (lone surrogates, which UTF-8 would turn into U+FFFD
 * and so collide) are always digested, from their UTF-16 code units.
 */
export function boundedKey(prefix: string, key: string): string {
  const wellFormed = isWellFormed(key)
  if (wellFormed && key.length <= MAX_RAW_KEY_BYTES / 3) return prefix + key
  if (wellFormed && Buffer.byteLength(key) <= MAX_RAW_KEY_BYTES) return prefix + key
  let head = key.slice(0, 100)
  // Never cut a surrogate pair in half.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1)
  if (!isWellFormed(head)) head = head.replace(/[\uD800-\uDFFF]/g, '?')
  while (Buffer.byteLength(head) > 100) head = head.slice(0, -1)
  const digest = createHash('sha256').update(Buffer.from(key, 'utf16le')).digest('hex')
  return `${prefix}${head}#${digest}`
}

/** Escapes glob characters so a prefix can be used in `SCAN MATCH`. */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&')
}

/**
 * The Redis key layout of one store: entries under the store's `keyPrefix`, and the keys the
 * store keeps for itself beside them (`__tag:`, `__kt:`, `__g:`, `__lease:`), every one bounded.
 */
export class RedisKeyspace {
  /** The store's `keyPrefix`. */
  readonly prefix: string

  constructor(prefix: string) {
    this.prefix = prefix
  }

  /** The Redis key of a cache entry. */
  entry(key: string): string {
    return boundedKey(this.prefix, key)
  }

  /** The set of entries carrying a (store-level) tag. */
  tag(tag: string): string {
    return boundedKey(`${this.prefix}__tag:`, tag)
  }

  /** The set of tag keys an entry (by its Redis key) carries now; invalidation checks it. */
  entryTags(rkey: string): string {
    return `${this.prefix}__kt:${rkey.slice(this.prefix.length)}`
  }

  /** The generation of a cache key (`k`), a store-level tag (`t`) or a clear prefix (`p`). */
  generation(kind: 'k' | 't' | 'p', name: string): string {
    return boundedKey(`${this.prefix}__g:${kind}:`, name)
  }

  /** The stampede lease of a cache key. */
  lease(key: string): string {
    return boundedKey(`${this.prefix}__lease:`, key)
  }
}
