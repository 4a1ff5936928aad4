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

  it.each([-1, Number.NaN, '5 minutes', '', 'abc', '-5m', {}])(
    'refuses %s with ERR_CACHE_INVALID_DURATION',
    (input) => {
      let caught: unknown
      try {
        parseDuration(input as never, 'ttl')
      } catch (error) {
        caught = error
      }
      expect(isCacheError(caught, errors.ERR_CACHE_INVALID_DURATION)).toBe(true)
      expect((caught as Error).message).toMatch(/Invalid ttl/)
    },
  )
})

describe('parseBytes', () => {
  it('parses units', () => {
    expect(parseBytes('64MB')).toBe(64 * 1024 * 1024)
    expect(parseBytes('1kb')).toBe(1024)
    expect(parseBytes(10)).toBe(10)
    expect(() => parseBytes('lots')).toThrow(/Invalid size/)
  })
})
