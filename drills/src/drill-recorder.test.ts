import { describe, expect, it } from 'vitest'
import { DrillRecorder, latencyTargets, percentile, rowPassed, type TraceEvent } from './drill-recorder.js'
import { now } from './http-client.js'

describe('DrillRecorder', () => {
  it('counts a request in the window it started in', () => {
    const recorder = new DrillRecorder(latencyTargets(250, 100))
    recorder.begin('pause', 'during')
    const slot = recorder.current
    recorder.begin('pause', 'after')
    recorder.record(slot, 'GET /items/:id', 5000, 'stale', 'x')
    recorder.record(recorder.current, 'GET /items/:id', 3, 'ok')
    const [row] = recorder.rows()
    expect(row!.name).toBe('pause')
    expect(row!.during).toMatchObject({ requests: 1, stale: 1, overTarget: 1 })
    expect(row!.after).toMatchObject({ requests: 1, stale: 0, overTarget: 0 })
    expect(row!.examples).toEqual(['during: stale GET /items/:id (5000 ms): x'])
    expect(row!.during.slowest).toEqual({ route: 'GET /items/:id', ms: 5000, detail: 'x' })
  })

  it('judges latency against handler time + budget + slack per route', () => {
    const targets = latencyTargets(250, 100)
    expect(targets).toEqual({ 'GET /items/:id': 350, 'POST /predict': 450, 'PUT /items/:id': 350 })
    const recorder = new DrillRecorder(targets)
    recorder.begin('fault', 'during')
    recorder.record(recorder.current, 'POST /predict', 449, 'ok')
    expect(recorder.rows()[0]!.during.overTarget).toBe(0)
    recorder.record(recorder.current, 'GET /items/:id', 351, 'ok')
    expect(recorder.rows()[0]!.during.overTarget).toBe(1)
  })

  it('traces every window beginning and every request, started at now minus its latency', () => {
    const events: TraceEvent[] = []
    const recorder = new DrillRecorder(latencyTargets(250, 100), (e) => events.push(e))
    recorder.begin('pause', 'during')
    const before = now()
    recorder.record(recorder.current, 'PUT /items/:id', 40, 'failed', 'instance A: status 500')
    expect(events[1]).toMatchObject({ begin: 'pause', window: 'during' })
    expect(events[2]).toMatchObject({
      row: 'pause',
      window: 'during',
      route: 'PUT /items/:id',
      ms: 40,
      outcome: 'failed',
      detail: 'instance A: status 500',
    })
    expect(events[2]!.at).toBeGreaterThanOrEqual(before - 40)
    expect(events[2]!.at).toBeLessThanOrEqual(now() - 40)
  })

  it('starts a new row per name and leaves out rows without requests', () => {
    const recorder = new DrillRecorder(latencyTargets(250, 100))
    recorder.begin('a', 'during')
    recorder.begin('b', 'during')
    recorder.record(recorder.current, 'PUT /items/:id', 1, 'ok')
    expect(recorder.rows().map((r) => r.name)).toEqual(['b'])
  })
})

describe('rowPassed', () => {
  const row = () => {
    const recorder = new DrillRecorder(latencyTargets(250, 100))
    recorder.begin('r', 'after')
    return { recorder, slot: recorder.current }
  }

  it('fails on any failure, wrong body or stale read', () => {
    for (const outcome of ['failed', 'wrong', 'stale'] as const) {
      const { recorder, slot } = row()
      recorder.record(slot, 'GET /items/:id', 1, outcome)
      expect(rowPassed(recorder.rows()[0]!, false)).toBe(false)
    }
  })

  it('fails on latency only when latency is judged, for the row and the run', () => {
    const { recorder, slot } = row()
    recorder.record(slot, 'GET /items/:id', 1000, 'ok')
    expect(rowPassed(recorder.rows()[0]!, true)).toBe(false)
    expect(rowPassed(recorder.rows()[0]!, false)).toBe(true)
    const unjudged = new DrillRecorder(latencyTargets(250, 100))
    unjudged.begin('warm-up', 'during', false)
    unjudged.record(unjudged.current, 'GET /items/:id', 1000, 'ok')
    expect(rowPassed(unjudged.rows()[0]!, true)).toBe(true)
  })
})

describe('percentile', () => {
  it('is nearest-rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i)
    expect(percentile(values, 99)).toBe(99)
    expect(percentile(values, 100)).toBe(100)
    expect(percentile([7], 99)).toBe(7)
    expect(percentile([], 99)).toBeUndefined()
  })
})
