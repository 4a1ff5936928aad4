import { describe, expect, it } from 'vitest'
import { primaryKey, urlKeyMemoSize } from './request-key.js'
import { resolveRouteOptions } from './route-options.js'
import { request } from './test-helpers.js'

const route = resolveRouteOptions(undefined, {})

// `key: () => null` gives the same key tuple but is never memoized: the digest computed afresh.
const unmemoized = resolveRouteOptions({ key: () => null }, {})
function direct(protocol: string, host: string, path: string, query: string): string | undefined {
  return primaryKey(request({ protocol, host, path, query }), unmemoized, 'none')
}

describe('primaryKey URL memo (the hit path)', () => {
  it('a remembered digest is the one the key tuple hashes to', () => {
    const req = request({ protocol: 'http', host: 'Example.com', path: '/memo-a', query: '' })
    const first = primaryKey(req, route, 'none')
    const second = primaryKey(req, route, 'none')
    expect(second).toBe(first)
    expect(first).toBe(direct('http', 'Example.com', '/memo-a', ''))
  })

  it('distinct protocol, host, path or query never share a memo entry', () => {
    const keys = [
      ['http', 'a.b', '/x', 'q=1'],
      ['https', 'a.b', '/x', 'q=1'],
      ['http', 'a.bx', '/', 'q=1'],
      ['http', 'a.b', '/xq=1', ''],
      ['http', 'a.b', '/x', 'q=2'],
      ['http', 'a.b1:/', 'x', 'q=1'],
    ].map(([protocol, host, path, query]) => {
      primaryKey(request({ protocol, host, path, query }), route, 'none')
      const memoized = primaryKey(request({ protocol, host, path, query }), route, 'none')
      expect(memoized).toBe(direct(protocol!, host!, path!, query!))
      return memoized
    })
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('stays bounded whatever the URL churn', () => {
    for (let i = 0; i < 5000; i++) primaryKey(request({ path: `/churn/${i}` }), route, 'none')
    expect(urlKeyMemoSize()).toBeLessThanOrEqual(2048)
    expect(primaryKey(request({ path: '/churn/1' }), route, 'none')).toBe(
      direct('http', 'example.test', '/churn/1', ''),
    )
  })
})
