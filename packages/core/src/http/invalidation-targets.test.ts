import { describe, expect, it } from 'vitest'
import { invalidationPaths } from './invalidation-targets.js'
import { request } from './test-helpers.js'

describe('invalidationPaths', () => {
  it('adds Location and Content-Location on the same host, relative or absolute, once each', () => {
    const req = request({ path: '/items/1', host: 'api.test:8080' })
    expect(
      invalidationPaths(req, {
        location: '../lists/2?x=1',
        'content-location': 'http://api.test:8080/items/1',
      }),
    ).toEqual(['/items/1', '/lists/2'])
  })

  it('ignores another host and a malformed URL; without a host, relative targets still count', () => {
    const req = request({ path: '/a', host: 'api.test' })
    expect(
      invalidationPaths(req, { location: 'http://other.test/b', 'content-location': 'http://[' }),
    ).toEqual(['/a'])
    const hostless = request({ path: '/a', host: '' })
    expect(invalidationPaths(hostless, { location: '/b', 'content-location': 'http://x.test/c' })).toEqual([
      '/a',
      '/b',
    ])
  })
})
