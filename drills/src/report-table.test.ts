import { describe, expect, it } from 'vitest'
import { DrillRecorder, latencyTargets } from './drill-recorder.js'
import { reportTable } from './report-table.js'

describe('reportTable', () => {
  const rows = () => {
    const recorder = new DrillRecorder(latencyTargets(250, 100))
    recorder.begin('warm-up', 'during', false)
    recorder.record(recorder.current, 'GET /items/:id', 900, 'ok')
    recorder.begin('CLIENT PAUSE 5000 ALL', 'during')
    recorder.record(recorder.current, 'GET /items/:id', 12.4, 'ok')
    recorder.record(recorder.current, 'PUT /items/:id', 400, 'stale')
    recorder.begin('CLIENT PAUSE 5000 ALL', 'after')
    recorder.record(recorder.current, 'POST /predict', 101, 'failed')
    return recorder.rows()
  }

  it('has a row per fault with its counts, latencies and verdict, as aligned Markdown', () => {
    expect(reportTable(rows(), true)).toBe(
      [
        '| fault                 | requests | failed | wrong bodies | stale reads | p99 / max during (ms) | p99 / max after (ms) | over target | result |',
        '| --------------------- | -------- | ------ | ------------ | ----------- | --------------------- | -------------------- | ----------- | ------ |',
        '| warm-up               | 1        | 0      | 0            | 0           | 900 / 900             | -                    | (1)         | pass   |',
        '| CLIENT PAUSE 5000 ALL | 3        | 1      | 0            | 1           | 400 / 400             | 101 / 101            | 1           | FAIL   |',
      ].join('\n'),
    )
  })
})
