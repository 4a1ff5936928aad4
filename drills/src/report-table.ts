import { percentile, type Row, rowPassed, type WindowStats } from './drill-recorder.js'

const HEADER = [
  'fault',
  'requests',
  'failed',
  'wrong bodies',
  'stale reads',
  'p99 / max during (ms)',
  'p99 / max after (ms)',
  'over target',
  'result',
]

/**
 * The report of one drill as a Markdown table (readable in a terminal, pasteable into docs):
 * one line per row, requests counted in the window they started in. `judgeLatency` false shows
 * the requests over target without failing on them.
 */
export function reportTable(rows: readonly Row[], judgeLatency: boolean): string {
  const lines = [HEADER, HEADER.map(() => '---')]
  for (const row of rows) {
    const both = [row.during, row.after]
    const sum = (pick: (w: WindowStats) => number) => both.reduce((n, w) => n + pick(w), 0)
    const over = sum((w) => w.overTarget)
    lines.push([
      row.name,
      String(sum((w) => w.requests)),
      String(sum((w) => w.failed)),
      String(sum((w) => w.wrong)),
      String(sum((w) => w.stale)),
      latency(row.during),
      latency(row.after),
      row.judgeLatency ? String(over) : `(${over})`,
      rowPassed(row, judgeLatency) ? 'pass' : 'FAIL',
    ])
  }
  return lines.map((cells) => `| ${cells.join(' | ')} |`).join('\n')
}

function latency(window: WindowStats): string {
  const p99 = percentile(window.latencies, 99)
  if (p99 === undefined) return '-'
  return `${Math.round(p99)} / ${Math.round(window.latencies.reduce((a, b) => Math.max(a, b)))}`
}
