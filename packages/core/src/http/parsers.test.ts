import { describe, expect, it } from 'vitest'
import { parseCacheControl } from './cache-control.js'
import { ifNoneMatchMatches } from './etag.js'
import { replayableHeaders, varyNames } from './headers.js'
import { normalizeQuery } from './normalize-query.js'

describe('parseCacheControl', () => {
  it('reads the directives the rules use, case-insensitively, across repeated fields', () => {
    expect(parseCacheControl(['Public, S-MAXAGE=30', 'max-age="60"'])).toMatchObject({
      public: true,
      sMaxAge: 30,
      maxAge: 60,
      private: false,
    })
    expect(parseCacheControl('private="a, no-store", max-age=x')).toMatchObject({
      private: true,
      noStore: false,
      maxAge: undefined,
    })
    expect(parseCacheControl(undefined)).toMatchObject({ noStore: false, noCache: false })
  })
})

describe('normalizeQuery', () => {
  it('sorts by name, keeps repeated parameters in order, decodes, drops empty segments', () => {
    expect(normalizeQuery('b=2&a=x+y&&a=%41')).toEqual([
      ['a', 'x y'],
      ['a', 'A'],
      ['b', '2'],
    ])
    expect(normalizeQuery('')).toBeNull()
    expect(normalizeQuery('&&')).toBeNull()
    expect(normalizeQuery('flag')).toEqual([['flag', '']])
    expect(normalizeQuery('a=%ZZ')).not.toEqual(normalizeQuery('a=%25ZZ'))
  })
})

describe('headers', () => {
  it('drops hop-by-hop fields, those named by Connection, Set-Cookie and fields the cache writes', () => {
    const pairs = replayableHeaders({
      connection: 'x-drop',
      'x-drop': '1',
      'proxy-foo': '1',
      'set-cookie': ['a=1'],
      age: '5',
      'x-cache': 'HIT',
      'content-type': 'text/plain',
    })
    expect(pairs).toEqual([['content-type', 'text/plain']])
  })

  it('parses Vary into sorted lowercased names, * alone', () => {
    expect(varyNames('User-Agent, accept-language,Accept-Language')).toEqual([
      'accept-language',
      'user-agent',
    ])
    expect(varyNames(['accept', '*'])).toEqual(['*'])
    expect(varyNames(undefined)).toEqual([])
  })
})

describe('ifNoneMatchMatches', () => {
  it('uses weak comparison and honours *', () => {
    expect(ifNoneMatchMatches('W/"a", "b"', '"a"')).toBe(true)
    expect(ifNoneMatchMatches('"a"', 'W/"a"')).toBe(true)
    expect(ifNoneMatchMatches('*', '"z"')).toBe(true)
    expect(ifNoneMatchMatches('"b"', '"a"')).toBe(false)
    expect(ifNoneMatchMatches(undefined, '"a"')).toBe(false)
  })
})
