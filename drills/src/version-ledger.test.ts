import { describe, expect, it } from 'vitest'
import { VersionLedger } from './version-ledger.js'

describe('VersionLedger', () => {
  it('judges a read sent after an acknowledgement against it', () => {
    const ledger = new VersionLedger()
    expect(ledger.writeStarted('a')).toBe(1)
    ledger.acknowledged('a', 1, 100)
    expect(ledger.judge('a', 0, 101)).toBe('stale')
    expect(ledger.judge('a', 1, 101)).toBe('ok')
    expect(ledger.floor('a', 101)).toBe(1)
  })

  it('does not judge a read already in flight at the acknowledgement against it', () => {
    const ledger = new VersionLedger()
    ledger.writeStarted('a')
    ledger.acknowledged('a', 1, 100)
    ledger.writeStarted('a')
    ledger.acknowledged('a', 2, 200)
    // Sent at 150: only version 1 was acknowledged then.
    expect(ledger.judge('a', 1, 150)).toBe('ok')
    expect(ledger.judge('a', 0, 150)).toBe('stale')
    // Sent at the very instant of the acknowledgement: not after it.
    expect(ledger.judge('a', 1, 200)).toBe('ok')
    expect(ledger.judge('a', 1, 200.5)).toBe('stale')
  })

  it('accepts any version up to the writes started, even unacknowledged ones', () => {
    const ledger = new VersionLedger()
    ledger.writeStarted('a')
    ledger.writeStarted('a')
    expect(ledger.judge('a', 2, 10)).toBe('ok')
    expect(ledger.judge('a', 0, 10)).toBe('ok')
    expect(ledger.judge('a', 3, 10)).toBe('impossible')
    expect(ledger.judge('never-written', 1, 10)).toBe('impossible')
  })

  it('keeps items apart', () => {
    const ledger = new VersionLedger()
    ledger.writeStarted('a')
    ledger.acknowledged('a', 1, 100)
    expect(ledger.judge('b', 0, 200)).toBe('ok')
  })

  it('stops judging a retired item below its ceiling', () => {
    const ledger = new VersionLedger()
    ledger.writeStarted('a')
    ledger.acknowledged('a', 1, 100)
    ledger.writeStarted('a')
    ledger.retire('a')
    expect(ledger.isRetired('a')).toBe(true)
    expect(ledger.judge('a', 0, 300)).toBe('retired')
    expect(ledger.judge('a', 3, 300)).toBe('impossible')
  })

  it('refuses acknowledgements out of order', () => {
    const ledger = new VersionLedger()
    ledger.acknowledged('a', 2, 100)
    expect(() => ledger.acknowledged('a', 1, 200)).toThrow(/out of order/)
    expect(() => ledger.acknowledged('a', 3, 50)).toThrow(/out of order/)
  })
})
