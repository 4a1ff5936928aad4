/**
 * What the core stores for one key. Stores never see this shape: they hold the bytes that
 * {@link encodeEntry} makes of it (the store contract).
 */
export interface CacheEntry<T = unknown> {
  /** The cached value. */
  value: T
  /** Epoch ms when the entry was written. */
  createdAt: number
  /** Epoch ms after which the entry is stale (`Infinity` for no expiry). */
  expiresAt: number
  /** Epoch ms until which a stale entry may still be served (grace); `>= expiresAt`. */
  staleUntil: number
  /** Tags the entry carries, for `invalidateTags`. */
  tags: readonly string[]
}
