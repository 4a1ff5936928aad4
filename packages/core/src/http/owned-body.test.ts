import { describe, expect, it } from 'vitest'
import { joinedBody, ownedBody } from './owned-body.js'

describe('owned bodies', () => {
  it('encodes a string within maxBytes into memory of its own, in its encoding', () => {
    const body = ownedBody('héllo', 6)!
    expect(body.toString()).toBe('héllo')
    // Not a slice of Node's 8 KB pool: the stored response would keep the whole slab alive.
    expect(body.buffer.byteLength).toBe(6)
    expect(ownedBody('68656c6c6f', 5, 'hex')!.toString()).toBe('hello')
  })

  it('refuses a string whose bytes, not its length, exceed maxBytes', () => {
    expect(ownedBody('héllo', 5)).toBeUndefined() // 5 characters, 6 bytes
    expect(ownedBody('x'.repeat(11), 10)).toBeUndefined()
    expect(ownedBody('68656c6c6f', 5, 'hex')).toBeDefined() // 10 characters, 5 bytes
  })

  it('joins parts into memory of its own', () => {
    const body = joinedBody([Buffer.from('ab'), new Uint8Array([99]), Buffer.alloc(0)])
    expect(body.toString()).toBe('abc')
    expect(body.buffer.byteLength).toBe(3)
  })
})
