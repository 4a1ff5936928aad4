import type { GetOrSetOptions } from './get-or-set.js'

/**
 * Internal `getOrSet` option: how many of the leading `tags` a store that fences loads may keep
 * as a stamp of their generations instead of in tag sets (the HTTP layer's path tag, so that a
 * stored response is one key on Redis). Reads of the key then fetch those tags' generations
 * with the entry. A symbol, so it stays out of the public options and their unknown-key check.
 */
export const STAMP_TAGS = Symbol('cache.stampTags')

/** `getOrSet` options that may carry {@link STAMP_TAGS}. */
export type StampableOptions = GetOrSetOptions & { [STAMP_TAGS]?: number }

/** The tags of `opts` that may be kept as stamps; empty when none. */
export function stampTagsOf(opts: GetOrSetOptions | undefined): readonly string[] {
  const count = (opts as StampableOptions | undefined)?.[STAMP_TAGS]
  if (count === undefined || count <= 0 || opts?.tags === undefined) return NONE
  return opts.tags.slice(0, count)
}

const NONE: readonly string[] = Object.freeze([])
