import { now } from './http-client.js'

/** The routes the drill's load sends. */
export type Route = 'GET /items/:id' | 'POST /predict' | 'PUT /items/:id'

/** How one request ended. A stale read is also a wrong answer, but counted on its own. */
export type Outcome = 'ok' | 'failed' | 'wrong' | 'stale'

/** Handler time of each route in the example apps: what the app spends without any cache work. */
export const HANDLER_MS: Readonly<Record<Route, number>> = {
  'GET /items/:id': 0,
  'POST /predict': 100,
  // The write itself is a counter bump; everything else in it is the invalidation.
  'PUT /items/:id': 0,
}

/** Latency target per route: handler time + the cache's per-request budget + slack for the box. */
export function latencyTargets(budgetMs: number, slackMs: number): Record<Route, number> {
  const targets = {} as Record<Route, number>
  for (const route of Object.keys(HANDLER_MS) as Route[])
    targets[route] = HANDLER_MS[route] + budgetMs + slackMs
  return targets
}

/** Counts and latencies of the requests that started in one window of a row. */
export interface WindowStats {
  requests: number
  failed: number
  wrong: number
  stale: number
  /** Requests slower than their route's target. */
  overTarget: number
  /** Every latency in ms, in completion order. */
  latencies: number[]
  /** The slowest request: route, latency and where it went. */
  slowest: { route: Route; ms: number; detail: string } | undefined
}

/** One row of the report: a fault (or warm-up, baseline, final read) with its two windows. */
export interface Row {
  name: string
  /** False for rows whose latency is shown but not judged (warm-up, the final read-back). */
  judgeLatency: boolean
  /** While the fault lasts. */
  during: WindowStats
  /** The recovery window after it. */
  after: WindowStats
  /** The first few failures, wrong bodies and stale reads, for the report. */
  examples: string[]
}

/** Where a request counts: the row and window current when it started. */
export interface Slot {
  row: Row
  window: WindowStats
}

const MAX_EXAMPLES = 6

/** One line of the optional trace: a window beginning, or a finished request (times on the drill's clock, ms). */
export type TraceEvent =
  | { at: number; begin: string; window: 'during' | 'after' }
  | {
      at: number
      ms: number
      row: string
      window: 'during' | 'after'
      route: Route
      outcome: Outcome
      detail: string
    }

/**
 * Collects the outcome and latency of every request of a drill, each in the row and window
 * (during / after a fault) current when it STARTED: a request sent during a fault counts there
 * even if it ends after the fault.
 */
export class DrillRecorder {
  readonly #rows: Row[] = []
  readonly #targets: Record<Route, number>
  readonly #trace: ((event: TraceEvent) => void) | undefined
  #current: Slot

  /** `trace` receives every window beginning and every request, for a request-by-request look. */
  constructor(targets: Record<Route, number>, trace?: (event: TraceEvent) => void) {
    this.#targets = targets
    this.#trace = trace
    this.#current = this.begin('start', 'during', false)
  }

  /** Makes `name`'s `window` current (a new row when `name` is not the current row's). */
  begin(name: string, window: 'during' | 'after', judgeLatency = true): Slot {
    let row = this.#rows[this.#rows.length - 1]
    if (row === undefined || row.name !== name) {
      row = { name, judgeLatency, during: emptyWindow(), after: emptyWindow(), examples: [] }
      this.#rows.push(row)
    }
    this.#current = { row, window: row[window] }
    this.#trace?.({ at: now(), begin: name, window })
    return this.#current
  }

  /** The slot a request starting now counts in. */
  get current(): Slot {
    return this.#current
  }

  /** Counts a finished request in the slot it started in; `detail` says where it went and what was wrong. */
  record(slot: Slot, route: Route, ms: number, outcome: Outcome, detail = ''): void {
    const w = slot.window
    w.requests++
    w.latencies.push(ms)
    if (ms > this.#targets[route]) w.overTarget++
    if (w.slowest === undefined || ms > w.slowest.ms) w.slowest = { route, ms, detail }
    if (outcome !== 'ok') {
      w[outcome]++
      if (slot.row.examples.length < MAX_EXAMPLES)
        slot.row.examples.push(`${windowName(slot)}: ${outcome} ${route} (${Math.round(ms)} ms): ${detail}`)
    }
    // Recorded as soon as the answer is checked: its start is now minus its latency.
    this.#trace?.({
      at: now() - ms,
      ms,
      row: slot.row.name,
      window: windowName(slot),
      route,
      outcome,
      detail,
    })
  }

  /** Every row with at least one request, in order. */
  rows(): Row[] {
    return this.#rows.filter((r) => r.during.requests + r.after.requests > 0)
  }
}

/** True when `row` has no failure, wrong body or stale read, and (when judged) no request over target. */
export function rowPassed(row: Row, judgeLatency: boolean): boolean {
  const both = [row.during, row.after]
  const correct = both.every((w) => w.failed === 0 && w.wrong === 0 && w.stale === 0)
  const fast = !judgeLatency || !row.judgeLatency || both.every((w) => w.overTarget === 0)
  return correct && fast
}

/** Nearest-rank percentile (`p` in 0..100) of `values`; `undefined` when empty. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1]
}

/** `'during'` or `'after'`: which window of its row `slot` is. */
export function windowName(slot: Slot): 'during' | 'after' {
  return slot.window === slot.row.during ? 'during' : 'after'
}

function emptyWindow(): WindowStats {
  return { requests: 0, failed: 0, wrong: 0, stale: 0, overTarget: 0, latencies: [], slowest: undefined }
}
