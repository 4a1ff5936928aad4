import type { CacheControl } from './cache-control.js'
import { headerText } from './headers.js'

/** Statuses a cache may give heuristic freshness (RFC 9110 §15.1, "heuristically cacheable"). */
export const HEURISTIC_STATUSES: ReadonlySet<number> = new Set([
  200, 203, 204, 300, 301, 308, 404, 405, 410, 414, 501,
])

/** Upper bound of a heuristic lifetime: a day, as common caches cap it. */
const HEURISTIC_CAP_MS = 24 * 60 * 60 * 1000

/** How a response's freshness lifetime was found. */
export interface Lifetime {
  /** Freshness lifetime in ms (0: stale at once). */
  ms: number
  /** `true` when an explicit directive or `Expires` gave it; `false` for heuristic or none. */
  explicit: boolean
}

/**
 * An HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime forms a
 * recipient must accept. Anything else is `undefined` (an invalid date), never guessed.
 */
export function parseHttpDate(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const text = value.trim()
  const imf =
    /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), (\d{2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(text)
  if (imf !== null) return utc(imf[4]!, imf[3]!, imf[2]!, imf[5]!, imf[6]!, imf[7]!)
  const rfc850 =
    /^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday), (\d{2})-([A-Z][a-z]{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2}) GMT$/.exec(
      text,
    )
  if (rfc850 !== null) {
    // Two-digit years: the one within 50 years of now (RFC 9110 §5.6.7).
    const yy = Number(rfc850[4])
    const century = Math.floor(new Date().getUTCFullYear() / 100) * 100
    let year = century + yy
    if (year > new Date().getUTCFullYear() + 50) year -= 100
    return utc(String(year), rfc850[3]!, rfc850[2]!, rfc850[5]!, rfc850[6]!, rfc850[7]!)
  }
  const asc =
    /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) ([A-Z][a-z]{2}) ([ \d]\d) (\d{2}):(\d{2}):(\d{2}) (\d{4})$/.exec(text)
  if (asc !== null) return utc(asc[7]!, asc[2]!, asc[3]!.trim(), asc[4]!, asc[5]!, asc[6]!)
  return undefined
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

function utc(year: string, month: string, day: string, h: string, m: string, s: string): number | undefined {
  const mon = MONTHS.indexOf(month)
  if (mon < 0) return undefined
  const time = Date.UTC(Number(year), mon, Number(day), Number(h), Number(m), Number(s))
  // Date.UTC rolls 31 Feb over into March: a date that does not round-trip is invalid.
  const check = new Date(time)
  return check.getUTCDate() === Number(day) && Number(h) < 24 && Number(m) < 60 && Number(s) < 61
    ? time
    : undefined
}

/**
 * The freshness lifetime of a response for a shared cache (RFC 9111 §4.2.1): `s-maxage`, then
 * `max-age`, then `Expires` minus `Date`; an invalid `Expires` means already stale. Without any,
 * a heuristic lifetime (§4.2.2) only when `heuristic` is a fraction > 0, the status is
 * heuristically cacheable (or the response is `public`), and it has `Last-Modified`: that
 * fraction of the time since, capped at a day.
 */
export function freshnessLifetime(
  headers: Record<string, string | number | readonly string[]>,
  cc: CacheControl,
  status: number,
  heuristic: number,
  now: number,
): Lifetime {
  if (cc.sMaxAge !== undefined) return { ms: cc.sMaxAge * 1000, explicit: true }
  if (cc.maxAge !== undefined) return { ms: cc.maxAge * 1000, explicit: true }
  const expiresText = headerText(headers.expires)
  if (expiresText !== undefined) {
    const expires = parseHttpDate(firstValue(expiresText))
    if (expires === undefined) return { ms: 0, explicit: true }
    const date = parseHttpDate(headerText(headers.date)) ?? now
    return { ms: Math.max(0, expires - date), explicit: true }
  }
  if (heuristic > 0 && (HEURISTIC_STATUSES.has(status) || cc.public)) {
    const lastModified = parseHttpDate(headerText(headers['last-modified']))
    const date = parseHttpDate(headerText(headers.date)) ?? now
    if (lastModified !== undefined && lastModified < date) {
      return {
        ms: Math.min(HEURISTIC_CAP_MS, Math.floor((date - lastModified) * heuristic)),
        explicit: false,
      }
    }
  }
  return { ms: 0, explicit: false }
}

/**
 * The response's age when it was received, in ms (RFC 9111 §4.2.3): the larger of the apparent
 * age (`Date` to reception) and the `Age` header plus the request's round trip; `Infinity` when
 * `Age` is invalid.
 */
export function initialAge(
  headers: Record<string, string | number | readonly string[]>,
  requestTime: number,
  responseTime: number,
): number {
  const date = parseHttpDate(headerText(headers.date))
  const apparent = date === undefined ? 0 : Math.max(0, responseTime - date)
  const ageText = headerText(headers.age)
  if (ageText === undefined) return Math.max(apparent, responseTime - requestTime)
  // An invalid Age (not one non-negative integer: a list, a sign, a fraction, a parameter) makes
  // the response stale (RFC 9111 §5.1): `Infinity`.
  if (!/^\d+$/.test(ageText.trim())) return Number.POSITIVE_INFINITY
  return Math.max(apparent, Number(ageText.trim()) * 1000 + (responseTime - requestTime))
}

function firstValue(text: string): string {
  // An HTTP-date has a comma after the weekday: only a second date after it makes a list.
  const match = /^\s*([^,]*,[^,]*|[^,]*)/.exec(text)
  return (match?.[1] ?? text).trim()
}
