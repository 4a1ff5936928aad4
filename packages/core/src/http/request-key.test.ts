import { describe, expect, it } from 'vitest'
import { hashKey } from '../keys/index.js'
import { normalizeQuery } from './normalize-query.js'
import { primaryKey, rememberPrimaryKey, urlKeyMemoSize } from './request-key.js'
import { resolveRouteOptions } from './route-options.js'
import { request } from './test-helpers.js'

const route = resolveRouteOptions(undefined, {})

// `key: () => null` gives the same key tuple but is never memoized: the digest computed afresh.
const unmemoized = resolveRouteOptions({ key: () => null }, {})
function direct(protocol: string, host: string, path: string, query: string): string | undefined {
  return primaryKey(request({ protocol, host, path, query }), unmemoized, 'none')
}

/** The key of a request served from memory: computed, then remembered as the hit path does. */
function served(req: ReturnType<typeof request>, on = route): string | undefined {
  const pending = { memoKey: undefined }
  const key = primaryKey(req, on, 'none', pending)
  if (key !== undefined) rememberPrimaryKey(pending, key)
  return key
}

describe('primaryKey URL memo (the hit path)', () => {
  it('a remembered digest is the one the key tuple hashes to', () => {
    const req = request({ protocol: 'http', host: 'Example.com', path: '/memo-a', query: '' })
    const first = served(req)
    const second = primaryKey(req, route, 'none')
    expect(second).toBe(first)
    expect(first).toBe(direct('http', 'Example.com', '/memo-a', ''))
  })

  it('only a URL served from memory is remembered: misses under URL churn leave the memo alone', () => {
    const before = urlKeyMemoSize()
    for (let i = 0; i < 20; i++) primaryKey(request({ path: '/memo-miss', query: `i=${i}` }), route, 'none')
    expect(urlKeyMemoSize()).toBe(before)
    served(request({ path: '/memo-miss', query: 'i=0' }))
    expect(urlKeyMemoSize()).toBe(before + 1)
    served(request({ path: '/memo-miss', query: 'i=0' }))
    expect(urlKeyMemoSize()).toBe(before + 1)
  })

  it('keys a route does not build from the URL alone are never remembered', () => {
    const before = urlKeyMemoSize()
    served(request({ path: '/memo-user' }), unmemoized)
    expect(urlKeyMemoSize()).toBe(before)
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
      served(request({ protocol, host, path, query }))
      const memoized = primaryKey(request({ protocol, host, path, query }), route, 'none')
      expect(memoized).toBe(direct(protocol!, host!, path!, query!))
      return memoized
    })
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('stays bounded whatever the URL churn', () => {
    for (let i = 0; i < 5000; i++) served(request({ path: `/churn/${i}` }))
    expect(urlKeyMemoSize()).toBeLessThanOrEqual(2048)
    expect(primaryKey(request({ path: '/churn/1' }), route, 'none')).toBe(
      direct('http', 'example.test', '/churn/1', ''),
    )
  })
})

describe('primaryKey host', () => {
  const at = (host: string) => primaryKey(request({ host, path: '/host-port' }), unmemoized, 'none')

  it('keys the host with its port, as handlers read it', () => {
    const hosts = ['a.test', 'a.test:80', 'a.test:8080', '[::1]', '[::1]:8080']
    expect(new Set(hosts.map(at)).size).toBe(hosts.length)
    expect(at('A.Test:8080')).toBe(at('a.test:8080'))
  })

  it('never reads an entry of the hostname-only layout, which may hold another port’s body', () => {
    // The previous layout's tuple, under which `a.test:8080` and `a.test` shared one entry.
    const empty = [null, null, null, null, null, null]
    const hostnameOnly = hashKey([
      'http/1',
      'GET',
      'http',
      'a.test',
      '/host-port',
      normalizeQuery(''),
      ...empty,
    ])
    expect(at('a.test')).not.toBe(hostnameOnly)
  })
})
