import { describe, expect, it } from 'vitest'
import { parseBytes, parseDuration } from './duration.js'
import { errors, isCacheError } from './errors.js'

describe('parseDuration', () => {
  it.each([
    [250, 250],
    ['250', 250],
    ['500ms', 500],
    ['5s', 5000],
    ['5m', 300_000],
    ['1.5h', 5_400_000],
    ['7d', 604_800_000],
    ['1y', 31_557_600_000],
    ['forever', Number.POSITIVE_INFINITY],
    [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY],
  ])('%s → %s ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms)
  })

  // The grammar of the `ms` package, which @fastify/rate-limit and most of the ecosystem accept.
  it.each([
    ['1 minute', 60_000],
    ['5 minutes', 300_000],
    ['2 hours', 7_200_000],
    ['1 hour', 3_600_000],
    ['10 secs', 10_000],
    ['1 second', 1000],
    ['1 day', 86_400_000],
    ['2 days', 172_800_000],
    ['1 week', 604_800_000],
    ['1 year', 31_557_600_000],
    ['2 yrs', 63_115_200_000],
    ['3 hrs', 10_800_000],
    ['100 milliseconds', 100],
    ['20 msecs', 20],
    ['1.5 Hours', 5_400_000],
    ['.5h', 1_800_000],
    ['1m', 60_000],
    ['10  mins', 600_000],
    [' 2h ', 7_200_000],
    ['5 m', 300_000],
  ])('accepts %j like ms: %s ms', (input, ms) => {
    expect(parseDuration(input)).toBe(ms)
  })

  it.each([
    -1,
    Number.NaN,
    Number.NEGATIVE_INFINITY,
    '',
    ' ',
    'abc',
    '-5m',
    '-1 minute',
    '- 5m',
    '5 fortnights',
    '1 minutes ago',
    'minute',
    '1.2.3s',
    '1e3',
    '0x10',
    '5 constructor',
    '1 __proto__',
    'NaN',
    '5 m s',
    `${'1'.repeat(99)}ms`,
    {},
  ])('refuses %j with ERR_CACHE_INVALID_DURATION', (input) => {
    let caught: unknown
    try {
      parseDuration(input as never, 'ttl')
    } catch (error) {
      caught = error
    }
    expect(isCacheError(caught, errors.ERR_CACHE_INVALID_DURATION)).toBe(true)
    expect((caught as Error).message).toMatch(/Invalid ttl/)
  })
})

describe('parseBytes', () => {
  it('parses units', () => {
    expect(parseBytes('64MB')).toBe(64 * 1024 * 1024)
    expect(parseBytes('1kb')).toBe(1024)
    expect(parseBytes(10)).toBe(10)
    expect(() => parseBytes('lots')).toThrow(/Invalid size/)
  })
})
