import { assertExact } from '@cache/test-utils'
import { expect } from 'vitest'
import { type CacheErrorCode, isCacheError } from '../errors.js'
import { decodeValue } from './decode-value.js'
import { encodeValue } from './encode-value.js'
import { decodeEntry, encodeEntry } from './entry-codec.js'

/** Encodes and decodes `value` alone and as an entry; checks both are exact copies and returns the value copy. */
export function roundTrip<T>(value: T): T {
  const copy = decodeValue(encodeValue(value)) as T
  assertExact(copy, value)
  const entry = { value, createdAt: 1, expiresAt: 2, staleUntil: 3, tags: [] }
  assertExact(decodeEntry(encodeEntry(entry)).value, value)
  return copy
}

/** Runs `fn` and returns the `CacheError` it throws, failing the test if it throws nothing or another error. */
export function thrown(fn: () => unknown, code: CacheErrorCode): Error {
  try {
    fn()
  } catch (error) {
    if (!isCacheError(error, code))
      throw new Error(`expected ${code}, got ${String(error)}`, { cause: error })
    return error as Error
  }
  expect.fail(`expected ${code}, but nothing was thrown`)
}
