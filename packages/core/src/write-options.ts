import type { Duration } from './duration.js'
import { type OptionFlags, optionKeys } from './known-options.js'

/** Per-write options shared by `set`, `setMany` items and `getOrSet`. */
export interface WriteOptions {
  /** Time to live of this entry. @default the cache's `ttl` */
  ttl?: Duration
  /** Tags for `invalidateTags`. @default [] */
  tags?: readonly string[]
  /** Grace window of this entry (stale serving). @default the cache's `grace` */
  grace?: Duration | false
  /** TTL jitter fraction for this entry. @default the cache's `ttlJitter` */
  ttlJitter?: number
}

/** Every key of {@link WriteOptions}, checked both ways by the compiler (see {@link OptionFlags}). */
export const WRITE_FLAGS = {
  ttl: true,
  tags: true,
  grace: true,
  ttlJitter: true,
} as const satisfies OptionFlags<WriteOptions>

/** The keys of `set` options. */
export const WRITE_OPTIONS = optionKeys<WriteOptions>(WRITE_FLAGS)
