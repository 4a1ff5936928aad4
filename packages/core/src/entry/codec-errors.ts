import { CacheError, errors } from '../errors.js'

/** Builds the `ERR_CACHE_DECODE` error every decoding failure surfaces as. */
export function decodeError(message: string, cause?: unknown): CacheError {
  return new CacheError(errors.ERR_CACHE_DECODE, `Cannot decode cache entry: ${message}`, { cause })
}

/**
 * Runs `fn` and turns anything it throws that is not already an `ERR_CACHE_DECODE` into one, so
 * a corrupted input can never leak a `RangeError`, `SyntaxError` or zlib error to the caller.
 */
export function guardDecode<T>(fn: () => T): T {
  try {
    return fn()
  } catch (error) {
    if (error instanceof CacheError && error.code === errors.ERR_CACHE_DECODE) throw error
    const detail = error instanceof Error ? error.message : String(error)
    throw decodeError(detail, error)
  }
}

/** Builds the `ERR_CACHE_UNENCODABLE_VALUE` error for the value at `path`. */
export function unencodableError(path: string, what: string, cause?: unknown): CacheError {
  return new CacheError(errors.ERR_CACHE_UNENCODABLE_VALUE, `Cannot encode ${what} at ${path}`, { cause })
}
