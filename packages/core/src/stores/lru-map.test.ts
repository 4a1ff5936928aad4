import { describe, expect, it } from 'vitest'
import { LruMap } from './lru-map.js'

describe('LruMap', () => {
  it('evicts the least recently used entry past maxEntries', () => {
    const lru = new LruMap<number>({ maxEntries: 2, maxBytes: 1000 })
    lru.set('a', 1, 1)
    lru.set('b', 2, 1)
    lru.get('a') // a is now most recent
    lru.set('c', 3, 1)
    expect([...lru.keys()]).toEqual(['c', 'a'])
    expect(lru.has('b')).toBe(false)
  })

  it('evicts by bytes, counting every entry size', () => {
    const removed: string[] = []
    const lru = new LruMap<string>({ maxEntries: 100, maxBytes: 10 }, (k) => removed.push(k))
    lru.set('a', 'x', 4)
    lru.set('b', 'y', 4)
    lru.set('c', 'z', 4)
    expect(lru.bytes).toBe(8)
    expect(removed).toEqual(['a'])
    expect([...lru.keys()]).toEqual(['c', 'b'])
  })

  it('refuses a value larger than maxBytes and drops the previous value under that key', () => {
    const lru = new LruMap<string>({ maxEntries: 100, maxBytes: 10 })
    lru.set('a', 'small', 2)
    expect(lru.set('a', 'huge', 11)).toBe(false)
    expect(lru.has('a')).toBe(false)
    expect(lru.bytes).toBe(0)
  })

  it('makes an overwritten key the most recent and hands the old value to the remove hook', () => {
    const removed: [string, string][] = []
    const lru = new LruMap<string>({ maxEntries: 2, maxBytes: 100 }, (k, v) => removed.push([k, v]))
    lru.set('a', 'old', 1)
    lru.set('b', 'b', 1)
    lru.set('a', 'new', 1)
    expect(removed).toEqual([['a', 'old']])
    lru.set('c', 'c', 1)
    expect([...lru.keys()]).toEqual(['c', 'a'])
    expect(lru.peek('a')).toBe('new')
    expect(lru.size).toBe(2)
  })

  it('keeps bytes consistent across overwrite, delete and clear', () => {
    const lru = new LruMap<string>({ maxEntries: 100, maxBytes: 100 })
    lru.set('a', '1', 5)
    lru.set('a', '2', 7)
    expect(lru.bytes).toBe(7)
    expect(lru.peek('a')).toBe('2')
    lru.set('b', '3', 3)
    expect(lru.delete('a')).toBe(true)
    expect(lru.delete('a')).toBe(false)
    expect(lru.bytes).toBe(3)
    lru.clear()
    expect(lru.size).toBe(0)
    expect(lru.bytes).toBe(0)
  })
})
