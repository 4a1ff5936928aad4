import { describe, expect, it } from 'vitest'
import { CacheError, errors, isCacheError } from './errors.js'

describe('CacheError', () => {
  it('carries a stable code and the cause', () => {
    const cause = new Error('socket closed')
    const error = new CacheError(errors.ERR_CACHE_STORE, 'redis: get failed', { cause })
    expect(error.code).toBe('ERR_CACHE_STORE')
    expect(error.cause).toBe(cause)
    expect(error.name).toBe('CacheError')
    expect(error).toBeInstanceOf(Error)
  })

  it('isCacheError checks by shape, so a copy from another install still matches', () => {
    const foreign = Object.assign(new Error('x'), { code: 'ERR_CACHE_CLOSED' })
    expect(isCacheError(foreign)).toBe(true)
    expect(isCacheError(foreign, errors.ERR_CACHE_CLOSED)).toBe(true)
    expect(isCacheError(foreign, errors.ERR_CACHE_STORE)).toBe(false)
    expect(isCacheError(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(false)
    expect(isCacheError(null)).toBe(false)
  })

  it('every code in the map is its own name and starts with ERR_CACHE_', () => {
    for (const [name, code] of Object.entries(errors)) {
      expect(code).toBe(name)
      expect(code.startsWith('ERR_CACHE_')).toBe(true)
    }
    expect(Object.isFrozen(errors)).toBe(true)
  })
})
