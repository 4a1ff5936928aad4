import { CacheError, errors } from './errors.js'

/**
 * Throws `ERR_CACHE_INVALID_OPTION` when `options` has a key outside `known`, naming the closest
 * known key when the unknown one looks like a typo (`ttll` → `ttl`). A typo'd option silently
 * ignored is a cache that does not do what its author thinks, so every factory checks its keys.
 *
 * @param options - the options object as the user passed it (`undefined` and `null` pass).
 * @param known - every key the factory accepts.
 * @param where - what the options belong to, for the message (`'createCache'`, `'memory'`...).
 * @throws {CacheError} `ERR_CACHE_INVALID_OPTION` on the first unknown key.
 */
export function assertKnownOptions(options: unknown, known: readonly string[], where: string): void {
  if (options === undefined || options === null || typeof options !== 'object') return
  for (const name of Object.keys(options)) {
    if (known.includes(name)) continue
    const guess = closest(name, known)
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `Unknown option ${JSON.stringify(name)} in ${where}${guess === undefined ? '' : `: did you mean ${JSON.stringify(guess)}?`} Known options: ${known.join(', ')}.`,
    )
  }
}

/** The known name nearest to `name`, when near enough to be a plausible typo. */
function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase()
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const d = distance(lower, candidate.toLowerCase())
    if (d < bestDistance) {
      bestDistance = d
      best = candidate
    }
  }
  // A third of the name may be wrong (at least 1, at most 3 edits): past that it is a different word.
  const allowed = Math.min(3, Math.max(1, Math.floor(name.length / 3)))
  return bestDistance <= allowed ? best : undefined
}

/** Damerau-Levenshtein distance (optimal string alignment): a swapped pair of letters is one edit. */
function distance(a: string, b: string): number {
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) rows.push([i, ...new Array<number>(b.length).fill(0)])
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = d
    }
  }
  return rows[a.length]![b.length]!
}

/**
 * Every key of the options interface `T`, each set to `true`. Written as an object literal, the
 * compiler checks it both ways: a key of `T` left out, or a key `T` does not have, fails to
 * compile. An extended interface spreads its base's flags: `{ ...WRITE_FLAGS, timeout: true }`.
 */
export type OptionFlags<T extends object> = { readonly [K in keyof Required<T>]: true }

/**
 * The keys of the options interface `T`, as the list {@link assertKnownOptions} takes, from its
 * {@link OptionFlags}: the list cannot drift from the interface as options are added.
 *
 * @example
 * const MEMORY_OPTIONS = optionKeys<MemoryOptions>({ maxEntries: true, maxBytes: true, maxEntryBytes: true, maxTtl: true })
 */
export function optionKeys<T extends object>(flags: OptionFlags<T>): readonly string[] {
  return Object.freeze(Object.keys(flags))
}
