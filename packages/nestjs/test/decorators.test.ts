import { isCacheError } from '@cache/core'
import { describe, expect, it } from 'vitest'
import * as api from '../src/index.js'
import { CacheResponse, InvalidateTags } from '../src/index.js'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    return isCacheError(error) ? error.code : String(error)
  }
  return undefined
}

describe('decorators', () => {
  it('validate route options when the class is defined', () => {
    expect(codeOf(() => CacheResponse({ ttl: 0 }))).toBe('ERR_CACHE_INVALID_OPTION')
    expect(codeOf(() => CacheResponse({ methods: ['PUT' as 'GET'] }))).toBe('ERR_CACHE_INVALID_OPTION')
    expect(codeOf(() => CacheResponse({ bogus: true } as never))).toBe('ERR_CACHE_INVALID_OPTION')
    expect(codeOf(() => InvalidateTags(''))).toBe('ERR_CACHE_INVALID_OPTION')
    expect(codeOf(() => CacheResponse({ ttl: '1m', tags: ['a'], varyBy: { headers: ['accept'] } }))).toBe(
      undefined,
    )
    expect(codeOf(() => CacheResponse(() => false))).toBe(undefined)
    expect(codeOf(() => InvalidateTags((req) => [String(req.params.id)]))).toBe(undefined)
  })

  it('never export the names @nestjs/cache-manager uses', () => {
    for (const name of ['CacheModule', 'CacheInterceptor', 'CacheKey', 'CacheTTL']) {
      expect(Object.keys(api)).not.toContain(name)
    }
    expect(Object.keys(api).sort()).toEqual([
      'CacheResponse',
      'HTTP_RESPONSE_CACHE',
      'InvalidateTags',
      'Memoize',
      'NoCache',
      'RESPONSE_CACHE',
      'ResponseCacheInterceptor',
      'ResponseCacheModule',
    ])
  })
})
