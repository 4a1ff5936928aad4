import { CacheError, errors } from './errors.js'

/** A duration: milliseconds as a number, or a string such as `'500ms'`, `'5m'`, `'1h'`, `'7d'`, `'forever'`. */
export type Duration = number | string

const UNITS: Record<string, number> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  m: 60_000,
  min: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
  y: 31_557_600_000,
}

const PATTERN = /^(\d+(?:\.\d+)?)\s*(ms|s|sec|m|min|h|d|w|y)?$/

/**
 * Parses a {@link Duration} into milliseconds. `'forever'` and `Infinity` give `Infinity`.
 * Throws `ERR_CACHE_INVALID_DURATION` on anything else that is not a finite, non-negative duration.
 */
export function parseDuration(input: Duration, what = 'duration'): number {
  if (typeof input === 'number') {
    if (input === Number.POSITIVE_INFINITY) return input
    if (Number.isFinite(input) && input >= 0) return input
  } else if (typeof input === 'string') {
    const s = input.trim().toLowerCase()
    if (s === 'forever' || s === 'infinity') return Number.POSITIVE_INFINITY
    const m = PATTERN.exec(s)
    if (m) return Number(m[1]) * UNITS[m[2] ?? 'ms']!
  }
  throw new CacheError(
    errors.ERR_CACHE_INVALID_DURATION,
    `Invalid ${what}: ${JSON.stringify(input)}. Use milliseconds or a string such as '500ms', '5m', '1h', '7d' or 'forever'.`,
  )
}

/** Like {@link parseDuration} but passes `undefined` through. */
export function parseOptionalDuration(input: Duration | undefined, what?: string): number | undefined {
  return input === undefined ? undefined : parseDuration(input, what)
}

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }

/** A size: bytes as a number, or a string such as `'64MB'`, `'512kb'`. */
export type ByteSize = number | string

/** Parses a {@link ByteSize} into bytes; throws `ERR_CACHE_INVALID_OPTION` when invalid. */
export function parseBytes(input: ByteSize, what = 'size'): number {
  if (
    typeof input === 'number' &&
    (Number.isFinite(input) || input === Number.POSITIVE_INFINITY) &&
    input >= 0
  ) {
    return input
  }
  if (typeof input === 'string') {
    const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/.exec(input.trim().toLowerCase())
    if (m) return Math.floor(Number(m[1]) * BYTE_UNITS[m[2] ?? 'b']!)
  }
  throw new CacheError(
    errors.ERR_CACHE_INVALID_OPTION,
    `Invalid ${what}: ${JSON.stringify(input)}. Use bytes or a string such as '512kb' or '64MB'.`,
  )
}
