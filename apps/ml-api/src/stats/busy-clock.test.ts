import { describe, expect, it } from 'vitest'
import { BusyClock } from './busy-clock.js'

describe('BusyClock', () => {
  it('gives a lone call its whole duration', () => {
    const clock = new BusyClock()
    const a = clock.begin(1000)
    expect(clock.end(a, 1500)).toBeCloseTo(0.5)
  })

  it('shares overlapping time among the calls: the shares add up to the busy time, not more', () => {
    const clock = new BusyClock()
    const a = clock.begin(0)
    const b = clock.begin(100) // a alone for 100 ms
    const c = clock.begin(200) // a and b for 100 ms
    const sa = clock.end(a, 500) // a, b, c for 300 ms
    const sb = clock.end(b, 600) // b, c for 100 ms
    const sc = clock.end(c, 1000) // c alone for 400 ms
    expect(sa).toBeCloseTo(0.1 + 0.05 + 0.1)
    expect(sb).toBeCloseTo(0.05 + 0.1 + 0.05)
    expect(sc).toBeCloseTo(0.1 + 0.05 + 0.4)
    // Busy from 0 to 1000 ms: one second in all, where timing each call would say 0.5+0.5+0.8.
    expect(sa + sb + sc).toBeCloseTo(1)
  })

  it('counts no idle time between calls', () => {
    const clock = new BusyClock()
    clock.end(clock.begin(0), 100)
    expect(clock.end(clock.begin(5000), 5100)).toBeCloseTo(0.1)
  })
})
