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
  const lines = [HEADER, HEADER.map(() => '')]
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
  return alignedMarkdown(lines)
}

// Padded as the repository's formatter (Biome) writes Markdown tables, so a report pasted into
// the docs passes `biome check` as it is.
function alignedMarkdown(lines: string[][]): string {
  const widths = lines[0]!.map((_, col) => Math.max(3, ...lines.map((cells) => cells[col]!.length)))
  return lines
    .map((cells, row) =>
      row === 1
        ? `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`
        : `| ${cells.map((cell, col) => cell.padEnd(widths[col]!)).join(' | ')} |`,
    )
    .join('\n')
}

function latency(window: WindowStats): string {
  const p99 = percentile(window.latencies, 99)
  if (p99 === undefined) return '-'
  return `${Math.round(p99)} / ${Math.round(window.latencies.reduce((a, b) => Math.max(a, b)))}`
}
