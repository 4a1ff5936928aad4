import { CacheError, errors } from './errors.js'

/**
 * A duration: milliseconds as a number, or a string in the grammar of the `ms` package (as
 * `@fastify/rate-limit` and most of the ecosystem accept): `'500ms'`, `'10 secs'`, `'5m'`,
 * `'1 minute'`, `'1.5h'`, `'2 hours'`, `'7d'`, `'1 week'`, `'1y'`; or `'forever'`.
 */
export type Duration = number | string

const MS = 1
const SECOND = 1000
const MINUTE = 60 * SECOND
const HOUR = 60 * MINUTE
const DAY = 24 * HOUR
const WEEK = 7 * DAY
// A Julian year, as `ms` counts it.
const YEAR = 365.25 * DAY

/** Every unit spelling of the `ms` package, lower case (a Map: no `constructor` from a prototype). */
const UNITS = new Map<string, number>([
  ...spellings(MS, 'ms', 'msec', 'msecs', 'millisecond', 'milliseconds'),
  ...spellings(SECOND, 's', 'sec', 'secs', 'second', 'seconds'),
  ...spellings(MINUTE, 'm', 'min', 'mins', 'minute', 'minutes'),
  ...spellings(HOUR, 'h', 'hr', 'hrs', 'hour', 'hours'),
  ...spellings(DAY, 'd', 'day', 'days'),
  ...spellings(WEEK, 'w', 'week', 'weeks'),
  ...spellings(YEAR, 'y', 'yr', 'yrs', 'year', 'years'),
])

function spellings(ms: number, ...names: string[]): [string, number][] {
  return names.map((name) => [name, ms])
}

// The `ms` grammar (a decimal, spaces, an optional unit) without its leading '-': a negative
// duration is refused. `ms` also caps its input at 100 characters.
const PATTERN = /^(\d*\.?\d+) *([a-z]+)?$/

/**
 * Parses a {@link Duration} into milliseconds. `'forever'` and `Infinity` give `Infinity`.
 * Throws `ERR_CACHE_INVALID_DURATION` on anything else that is not a finite, non-negative duration:
 * garbage, a negative number or string, `NaN`, an unknown unit.
 */
export function parseDuration(input: Duration, what = 'duration'): number {
  if (typeof input === 'number') {
    if (input === Number.POSITIVE_INFINITY) return input
    if (Number.isFinite(input) && input >= 0) return input
  } else if (typeof input === 'string' && input.length <= 100) {
    const s = input.trim().toLowerCase()
    if (s === 'forever' || s === 'infinity') return Number.POSITIVE_INFINITY
    const m = PATTERN.exec(s)
    const unit = m === null ? undefined : m[2] === undefined ? MS : UNITS.get(m[2])
    if (unit !== undefined) return Number(m![1]) * unit
  }
  throw new CacheError(
    errors.ERR_CACHE_INVALID_DURATION,
    `Invalid ${what}: ${JSON.stringify(input)}. Use milliseconds or a string such as '500ms', '10s', '5m', '1 minute', '1.5h', '2 hours', '7d' or 'forever'.`,
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
