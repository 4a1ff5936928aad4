import { createHash } from 'node:crypto'

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

function isWellFormed(s: string): boolean {
  const f = (s as { isWellFormed?: () => boolean }).isWellFormed
  if (f !== undefined) return f.call(s)
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)
}

/** Escapes glob characters so a prefix can be used in `SCAN MATCH`. */
export function escapeGlob(s: string): string {
  return s.replace(/[*?[\]\\]/g, '\\$&')
}
