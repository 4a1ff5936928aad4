import { afterEach, describe, expect, it, vi } from 'vitest'
import { ChaosStore } from '../../test/chaos-store.js'
import { createCache } from '../create-cache.js'
import { MemoryStore } from '../stores/memory-store.js'

afterEach(() => {
  vi.useRealTimers()
})

function twoProcesses(options: Parameters<typeof createCache>[0] = {}) {
  const shared = new MemoryStore()
  const chaos = new ChaosStore(shared)
  const a = createCache({ namespace: 'app', ...options, store: chaos })
  const b = createCache({ namespace: 'app', ...options, store: chaos })
  return { shared, chaos, a, b }
}

describe('L1 + L2', () => {
  it('an L2 hit fills L1 with the remaining TTL', async () => {
    vi.useFakeTimers()
    const { a, b, chaos } = twoProcesses({ ttl: 10_000 })
    await a.set('k', 'v')
    vi.advanceTimersByTime(4000)
    expect(await b.get('k')).toBe('v')
    expect(b.stats().tiers.remote?.hits).toBe(1)
    const callsAfterFill = chaos.calls
    expect(await b.get('k')).toBe('v')
    expect(chaos.calls).toBe(callsAfterFill) // served from L1
    vi.advanceTimersByTime(6000)
    chaos.mode = 'fail' // L1 must have expired with the original deadline, not 10 s after the fill
    expect(await b.get('k')).toBeUndefined()
  })

  it('writes and deletes go through both tiers', async () => {
    const { a, b, shared } = twoProcesses()
    await a.set('k', 1, { tags: ['t'] })
    expect(shared.usage.entries).toBe(1)
    expect(await b.get('k')).toBe(1)
    await a.delete('k')
    expect(shared.usage.entries).toBe(0)
    await a.set('k2', 2, { tags: ['t'] })
    await a.invalidateTags(['t'])
    expect(await b.getMany(['k2'])).toEqual([undefined])
    await a.setMany([{ key: 'm', value: 'many' }])
    expect(await b.getMany(['m', 'zz'])).toEqual(['many', undefined])
    await a.clear()
    expect(shared.usage.entries).toBe(0)
  })

  it('getOrSet finds the value another process stored and does not load', async () => {
    const { a, b } = twoProcesses()
    await a.getOrSet('k', () => 'from a')
    let calls = 0
    expect(await b.getOrSet('k', () => ++calls)).toBe('from a')
    expect(calls).toBe(0)
  })

  it('corrupted L2 bytes are a miss plus an error event, never a crash', async () => {
    const { a, b, chaos } = twoProcesses()
    const events: string[] = []
    b.on('error', (e) => events.push(`${e.operation}:${(e.error as { code?: string }).code}`))
    await a.set('k', { some: 'value' })
    chaos.mode = 'corrupt'
    expect(await b.get('k')).toBeUndefined()
    expect(await b.getMany(['k'])).toEqual([undefined])
    expect(await b.getOrSet('k', () => 'reloaded')).toBe('reloaded')
    expect(events).toContain('decode:ERR_CACHE_DECODE')
    expect(b.stats().errors).toBeGreaterThanOrEqual(3)
  })

  it('an L2 that fails is counted and emitted; getOrSet answers from the loader', async () => {
    const { a, chaos } = twoProcesses()
    const codes: string[] = []
    a.on('error', (e) => codes.push((e.error as { code?: string }).code ?? ''))
    chaos.mode = 'fail'
    expect(await a.getOrSet('k', () => 'computed')).toBe('computed')
    await a.set('x', 1)
    expect(await a.delete('zz')).toBe(false)
    expect(codes.every((c) => c === 'ERR_CACHE_STORE')).toBe(true)
    expect(codes.length).toBeGreaterThanOrEqual(3)
    expect(a.stats().tiers.remote?.errors).toBe(codes.length)
  })

  it('an L2 that hangs is cut at the deadline', async () => {
    const { a, chaos } = twoProcesses({ remote: { timeout: 50 } })
    chaos.mode = 'hang'
    const started = performance.now()
    expect(await a.getOrSet('k', () => 'computed')).toBe('computed')
    // generous margin: the read spends the request's budget (50 ms); the write is not waited for
    expect(performance.now() - started).toBeLessThan(2000)
    expect(a.stats().errors).toBe(1)
    await vi.waitFor(() => expect(a.stats().errors).toBe(2)) // the write, cut at its own deadline
  })

  it('the circuit breaker stops calling a dead store, then probes it again', async () => {
    vi.useFakeTimers()
    const { a, chaos } = twoProcesses({ remote: { breakerThreshold: 3, breakerResetAfter: 1000 } })
    chaos.mode = 'fail'
    for (let i = 0; i < 3; i++) await a.get(`k${i}`)
    expect(a.stats().tiers.remote?.breaker).toBe('open')
    const calls = chaos.calls
    for (let i = 0; i < 10; i++) await a.get(`k${i}`)
    expect(chaos.calls).toBe(calls)
    chaos.mode = 'ok'
    vi.advanceTimersByTime(1000)
    await a.get('probe')
    expect(chaos.calls).toBe(calls + 1)
    expect(a.stats().tiers.remote?.breaker).toBe('closed')
  })

  it('concurrent reads of one key share one L2 call and one decode', async () => {
    const { a, b, chaos } = twoProcesses()
    await a.set('k', { big: 'x'.repeat(100) })
    const before = chaos.calls
    const values = await Promise.all(Array.from({ length: 100 }, () => b.get('k')))
    expect(chaos.calls - before).toBe(1)
    expect(values.every((v) => v === values[0])).toBe(true)
    expect(b.stats().tiers.remote?.hits).toBe(100)
    expect(b.stats().hits).toBe(100)
  })

  it('an L2 read in flight during an invalidation does not refill L1 with the old value', async () => {
    const { a, b, chaos } = twoProcesses()
    await a.set('k', 'old')
    let open!: () => void
    chaos.holdReplies = new Promise<void>((r) => {
      open = r
    })
    const reading = b.get('k') // reads 'old' from L2; the reply is held
    await new Promise((r) => setImmediate(r))
    chaos.holdReplies = undefined
    await b.delete('k') // the delete lands while the old reply is still on its way
    open()
    expect(await reading).toBe('old') // asked before the delete: may see the old value
    await a.set('k', 'new')
    expect(await b.get('k')).toBe('new') // but L1 was not filled with 'old'
  })

  it('memory.maxTtl caps how long L1 keeps an entry', async () => {
    vi.useFakeTimers()
    const { a, b, chaos } = twoProcesses({ ttl: '1h', memory: { maxTtl: 1000 } })
    await a.set('k', 'v')
    expect(await b.get('k')).toBe('v')
    vi.advanceTimersByTime(1001)
    const calls = chaos.calls
    expect(await b.get('k')).toBe('v')
    expect(chaos.calls).toBe(calls + 1) // re-read from L2 once L1's capped copy expired
  })
})

describe('L2 read coalescing (a store that declares batchGets)', () => {
  function batching() {
    const shared = new MemoryStore()
    const chaos = new ChaosStore(shared)
    Object.assign(chaos, { capabilities: { ...chaos.capabilities, batchGets: true } })
    const writer = createCache({ namespace: 'app', store: chaos, bus: false })
    const reader = createCache({ namespace: 'app', store: chaos, memory: false, bus: false })
    return { chaos, writer, reader }
  }

  it('gets issued in one tick share getMany calls of at most 128 keys; a lone get is one get', async () => {
    const { chaos, writer, reader } = batching()
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`)
    await writer.setMany(keys.slice(1).map((key) => ({ key, value: key })))
    chaos.calls = 0
    const values = await Promise.all(keys.map((k) => reader.get(k)))
    expect(values).toEqual(keys.map((k, i) => (i === 0 ? undefined : k)))
    expect(chaos.calls).toBe(3)
    expect(reader.stats().tiers.remote).toMatchObject({ hits: 299, misses: 1, errors: 0 })
    chaos.calls = 0
    expect(await reader.get('k7')).toBe('k7')
    expect(chaos.calls).toBe(1)
  })

  it('a failing batch is a miss and an error for each key, and one failure for the breaker', async () => {
    const { chaos, writer, reader } = batching()
    await writer.set('a', 1)
    const errors: (string | undefined)[] = []
    reader.on('error', ({ key }) => errors.push(key))
    chaos.mode = 'fail'
    const keys = Array.from({ length: 10 }, (_, i) => `f${i}`)
    expect(await Promise.all(keys.map((k) => reader.get(k)))).toEqual(keys.map(() => undefined))
    expect(errors.sort()).toEqual(keys.map((k) => `app:${k}`).sort())
    expect(reader.stats().tiers.remote?.breaker).toBe('closed')
    chaos.mode = 'corrupt'
    expect(await Promise.all([reader.get('a'), reader.get('missing')])).toEqual([undefined, undefined])
    expect(errors).toContain('app:a')
  })
})
