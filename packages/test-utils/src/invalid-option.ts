import { errors, isCacheError } from '@cache/core'
import { expect } from 'vitest'

/**
 * Test helper: runs `fn` (sync or async), expects an `ERR_CACHE_INVALID_OPTION`, and returns its
 * message for the test to match.
 */
export async function invalidOption(fn: () => unknown): Promise<string> {
  let caught: unknown
  try {
    await fn()
  } catch (error) {
    caught = error
  }
  expect(isCacheError(caught, errors.ERR_CACHE_INVALID_OPTION), String(caught)).toBe(true)
  return (caught as Error).message
}
