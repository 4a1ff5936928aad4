import type { Duration } from './duration.js'
import { type OptionFlags, optionKeys } from './known-options.js'
import { WRITE_FLAGS, type WriteOptions } from './write-options.js'

/** What a loader receives. */
export interface LoaderContext<T> {
  /** The full namespaced key being loaded. */
  key: string
  /** The stale value, when an expired entry is still within grace. */
  stale: T | undefined
}

/** Computes a value on a miss. */
export type Loader<T> = (context: LoaderContext<T>) => T | Promise<T>

/** Options of `getOrSet`. */
export interface GetOrSetOptions extends WriteOptions {
  /** Serve a stale value at once and refresh in the background. @default the cache's `staleWhileRevalidate` */
  staleWhileRevalidate?: boolean
  /** Soft timeout: past it a stale value is returned while the loader finishes. @default the cache's `timeout` */
  timeout?: Duration
}

/**
 * Every key of {@link GetOrSetOptions}, checked both ways by the compiler (see {@link OptionFlags}).
 * Spread it into the flags of options that extend `GetOrSetOptions` (`prewarm`'s, in `@cache/ops`)
 * so their `assertKnownOptions` check follows the cache's options as they grow.
 */
export const GET_OR_SET_FLAGS = {
  ...WRITE_FLAGS,
  staleWhileRevalidate: true,
  timeout: true,
} as const satisfies OptionFlags<GetOrSetOptions>

/** The keys of `getOrSet` options. */
export const GET_OR_SET_OPTIONS = optionKeys<GetOrSetOptions>(GET_OR_SET_FLAGS)
