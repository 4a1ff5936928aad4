import { describe, expect, it } from 'vitest'
import { isCacheError } from './errors.js'
import { assertKnownOptions, optionKeys } from './known-options.js'

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

describe('optionKeys', () => {
  interface Options {
    ttl?: number
    grace?: number
    store: object
  }

  it('lists every key of the interface', () => {
    expect(optionKeys<Options>({ ttl: true, grace: true, store: true })).toEqual(['ttl', 'grace', 'store'])
  })

  // These lines are checked by `tsc` (the typecheck task): each must fail to compile, or the
  // unused @ts-expect-error fails it instead. A list cannot drift from its interface.
  it('does not compile when a key is missing or extra', () => {
    // @ts-expect-error 'store' is missing
    expect(() => optionKeys<Options>({ ttl: true, grace: true })).not.toThrow()
    // @ts-expect-error 'tll' is not a key of Options
    expect(() => optionKeys<Options>({ ttl: true, grace: true, store: true, tll: true })).not.toThrow()
  })
})
