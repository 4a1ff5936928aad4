import { describe, expect, it } from 'vitest'
import { CLIENT_DIRECTIVES, requestCacheControl, storeTtl } from './request-cache-control.js'

const all = new Set(CLIENT_DIRECTIVES)

describe('requestCacheControl', () => {
  it('reads Cache-Control no-cache, no-store and max-age', () => {
    expect(
      requestCacheControl({ 'cache-control': 'no-cache, no-store, max-age=30' }, undefined, all),
    ).toEqual({
      noCache: true,
      noStore: true,
      maxAge: 30,
      ttl: undefined,
      namespace: undefined,
    })
  })

  it('reads Pragma: no-cache only without a Cache-Control header (RFC 9111 §5.4)', () => {
    expect(requestCacheControl({ pragma: 'no-cache' }, undefined, all).noCache).toBe(true)
    expect(
      requestCacheControl({ pragma: 'no-cache', 'cache-control': 'max-age=5' }, undefined, all),
    ).toMatchObject({ noCache: false, maxAge: 5 })
  })

  it('reads the LiteLLM body field; the stricter age wins when both say one', () => {
    const body = { 'no-cache': true, ttl: 60, 's-maxage': 100, namespace: 'team-a' }
    expect(requestCacheControl({ 'cache-control': 'max-age=10' }, body, all)).toEqual({
      noCache: true,
      noStore: false,
      maxAge: 10,
      ttl: 60,
      namespace: 'team-a',
    })
  })

  it('ignores what the operator does not allow', () => {
    const onlyNoStore = new Set(['no-store'] as const)
    const control = requestCacheControl(
      { 'cache-control': 'no-cache, no-store, max-age=1' },
      { ttl: 5, namespace: 'x' },
      onlyNoStore,
    )
    expect(control).toEqual({
      noCache: false,
      noStore: true,
      maxAge: undefined,
      ttl: undefined,
      namespace: undefined,
    })
    expect(
      requestCacheControl({ 'cache-control': 'no-store' }, { 'no-cache': true }, new Set()),
    ).toMatchObject({
      noCache: false,
      noStore: false,
    })
  })

  it('lets a request shorten the TTL, never extend it', () => {
    const control = requestCacheControl({}, { ttl: 60 }, all)
    expect(storeTtl(control, 3_600_000)).toBe(60_000)
    expect(storeTtl(control, 10_000)).toBe(10_000)
    expect(storeTtl(requestCacheControl({}, undefined, all), 10_000)).toBe(10_000)
  })
})
