import { describe, expect, it } from 'vitest'
import { CircuitBreaker } from './circuit-breaker.js'

describe('CircuitBreaker', () => {
  it('opens after the threshold, probes once after resetAfter, closes on success', () => {
    const states: string[] = []
    const b = new CircuitBreaker({ threshold: 3, resetAfter: 1000 }, (s) => states.push(s))
    b.failure(0)
    b.failure(0)
    expect(b.allow(0)).toBe(true)
    b.failure(0)
    expect(b.state).toBe('open')
    expect(b.allow(500)).toBe(false)
    expect(b.allow(1000)).toBe(true)
    expect(b.state).toBe('half-open')
    expect(b.allow(1000)).toBe(false) // only one probe at a time
    b.success()
    expect(b.state).toBe('closed')
    expect(states).toEqual(['open', 'half-open', 'closed'])
  })

  it('a failed probe opens it again for another period', () => {
    const b = new CircuitBreaker({ threshold: 1, resetAfter: 100 })
    b.failure(0)
    expect(b.allow(100)).toBe(true)
    b.failure(100)
    expect(b.state).toBe('open')
    expect(b.allow(150)).toBe(false)
    expect(b.allow(200)).toBe(true)
  })

  it('a success resets the failure count', () => {
    const b = new CircuitBreaker({ threshold: 2, resetAfter: 100 })
    b.failure(0)
    b.success()
    b.failure(0)
    expect(b.state).toBe('closed')
  })
})
