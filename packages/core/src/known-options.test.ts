import { describe, expect, it } from 'vitest'
import { isCacheError } from './errors.js'
import { assertKnownOptions } from './known-options.js'

function messageOf(fn: () => void): string {
  try {
    fn()
  } catch (error) {
    expect(isCacheError(error, 'ERR_CACHE_INVALID_OPTION')).toBe(true)
    return (error as Error).message
  }
  throw new Error('expected a throw')
}

describe('assertKnownOptions', () => {
  const known = ['ttl', 'grace', 'maxEntries', 'maxBytes', 'namespace']

  it('passes known keys, undefined and null', () => {
    expect(() => assertKnownOptions({ ttl: 1, grace: 2 }, known, 'x')).not.toThrow()
    expect(() => assertKnownOptions(undefined, known, 'x')).not.toThrow()
    expect(() => assertKnownOptions(null, known, 'x')).not.toThrow()
  })

  it('names the near miss of a typo', () => {
    expect(messageOf(() => assertKnownOptions({ ttll: 1 }, known, 'createCache'))).toMatch(
      /Unknown option "ttll" in createCache: did you mean "ttl"\?/,
    )
    expect(messageOf(() => assertKnownOptions({ maxEntires: 1 }, known, 'memory'))).toMatch(
      /did you mean "maxEntries"/,
    )
    expect(messageOf(() => assertKnownOptions({ namepsace: 'a' }, known, 'x'))).toMatch(
      /did you mean "namespace"/,
    )
    expect(messageOf(() => assertKnownOptions({ MaxBytes: 1 }, known, 'x'))).toMatch(
      /did you mean "maxBytes"/,
    )
  })

  it('lists the known options when nothing is close', () => {
    const message = messageOf(() => assertKnownOptions({ maxSize: 1 }, known, 'memory'))
    expect(message).not.toMatch(/did you mean/)
    expect(message).toMatch(/Known options: ttl, grace, maxEntries, maxBytes, namespace/)
  })
})
