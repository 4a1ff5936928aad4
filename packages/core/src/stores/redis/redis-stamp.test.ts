import { describe, expect, it } from 'vitest'
import { encodeEntry } from '../../entry/index.js'
import { isStamped, readStamps, stampsHold, stampValue } from './redis-stamp.js'
import { resolveStamped } from './redis-stamped-read.js'

const entry = Buffer.from(
  encodeEntry({ value: { a: 1 }, createdAt: 1, expiresAt: 2, staleUntil: 3, tags: [] }),
)
const stamps = [
  { key: 'p:__g:t:app:path:/items', generation: '1733460000000123' },
  { key: 'p:__g:t:é', generation: '0' },
]

describe('stamped values', () => {
  it('round-trip their stamps and keep the entry bytes as they were', () => {
    const stamped = stampValue(stamps, entry)
    expect(isStamped(stamped)).toBe(true)
    expect(isStamped(entry)).toBe(false)
    const split = readStamps(stamped)!
    expect(split.stamps).toEqual(stamps)
    expect(split.entry.equals(entry)).toBe(true)
    expect(readStamps(entry)).toBeUndefined()
  })

  it('a cut value reads as an empty entry, never past its end', () => {
    const stamped = stampValue(stamps, entry)
    for (const end of [3, 5, 20, 40]) expect(readStamps(stamped.subarray(0, end))!.entry.byteLength).toBe(0)
  })

  it('hold while no generation grew past the stamp; a missing generation holds', () => {
    const gens = new Map<string, string | null>([[stamps[0]!.key, '1733460000000123']])
    const current = (k: string) => gens.get(k) ?? null
    expect(stampsHold(stamps, current)).toBe(true)
    gens.set(stamps[1]!.key, '5')
    expect(stampsHold(stamps, current)).toBe(false)
    gens.set(stamps[1]!.key, '0')
    gens.set(stamps[0]!.key, '1733460000000124')
    expect(stampsHold(stamps, current)).toBe(false)
  })
})

describe('resolveStamped', () => {
  it('answers plain values at once, nulls as undefined, and fetches no generation', () => {
    const fetch = () => Promise.reject(new Error('no fetch expected'))
    expect(resolveStamped([entry, null, undefined], undefined, fetch)).toEqual([entry, undefined, undefined])
  })

  it('uses the generations read with the values, and fetches only the missing ones in one call', async () => {
    const a = stampValue([{ key: 'g:a', generation: '10' }], entry)
    const b = stampValue([{ key: 'g:b', generation: '10' }], entry)
    const c = stampValue(
      [
        { key: 'g:a', generation: '10' },
        { key: 'g:c', generation: '0' },
      ],
      entry,
    )
    const fetched: string[][] = []
    const out = await resolveStamped([a, b, c], new Map([['g:a', '10']]), async (keys) => {
      fetched.push([...keys])
      return keys.map((k) => (k === 'g:b' ? Buffer.from('11') : null))
    })
    expect(fetched).toEqual([['g:b', 'g:c']])
    expect(out.map((v) => v?.equals(entry))).toEqual([true, undefined, true])
  })
})
