import { readStamps, type StampedValue, stampsHold } from './redis-stamp.js'

/** Fetches generation keys, in order (`null` for a missing one). */
export type FetchGenerations = (keys: readonly string[]) => Promise<(Buffer | null)[]>

/**
 * Turns the values of one read into what the store answers: plain entries as they are, stamped
 * values as their entry while their stamps hold, `undefined` once a stamped tag was invalidated.
 * `known` holds the generations read with the values (a guarded read's MGET); those a stamp needs
 * and the read did not include are fetched in one more call. Answers synchronously when no
 * value is stamped, so a plain read pays one byte check per value.
 */
export function resolveStamped(
  values: (Buffer | null | undefined)[],
  known: Map<string, string | null> | undefined,
  fetch: FetchGenerations,
): (Buffer | undefined)[] | Promise<(Buffer | undefined)[]> {
  let stamped: Map<number, StampedValue> | undefined
  let missing: Set<string> | undefined
  for (let i = 0; i < values.length; i++) {
    const value = values[i]
    if (value === null || value === undefined) {
      values[i] = undefined
      continue
    }
    const split = readStamps(value)
    if (split === undefined) continue
    stamped ??= new Map()
    stamped.set(i, split)
    for (const s of split.stamps) {
      if (known?.has(s.key) !== true) (missing ??= new Set()).add(s.key)
    }
  }
  const out = values as (Buffer | undefined)[]
  if (stamped === undefined) return out
  const gens = known ?? new Map<string, string | null>()
  const settle = () => {
    for (const [i, split] of stamped) {
      out[i] = stampsHold(split.stamps, (k) => gens.get(k) ?? null) ? split.entry : undefined
    }
    return out
  }
  if (missing === undefined) return settle()
  const keys = [...missing]
  return fetch(keys).then((fetched) => {
    for (let i = 0; i < keys.length; i++) gens.set(keys[i]!, generationOf(fetched[i]))
    return settle()
  })
}

/** A generation as read from Redis. */
export function generationOf(value: Buffer | null | undefined): string | null {
  return value === null || value === undefined ? null : value.toString('latin1')
}
