import { parseArgs } from 'node:util'
import { APPS, type AppName } from './app-instances.js'
import { FAULTS, type FaultId } from './faults.js'
import type { DrillPlan } from './run-drill.js'

/** Usage text of `npm run drills -- --help`. */
export const USAGE = `Usage: npm run drills -- [options]

Two instances of an example app on one private redis-server, under steady load; each Redis fault
in turn. Fails (exit 1) on any failed request, wrong body, stale read after an acknowledged
invalidation, or (unless --relax-latency) any request slower than handler time + budget + slack.

  --short               CI profile: express only, 3 s recovery windows and baseline
  --apps a,b            express, fastify, nestjs (default: all three; --short: express)
  --faults a,b          ${Object.keys(FAULTS).join(', ')} (default: all)
  --fault-ms N          how long each fault lasts (default 5000)
  --after-ms N          recovery window measured after each fault (default 5000; --short 3000)
  --workers N           concurrent workers (default 20)
  --rate N              requests/s the readers and predict workers aim at (default 400)
  --budget N            the apps' per-request cache budget, remote.timeout (default 250)
  --latency-slack N     ms allowed on top of handler time + budget (default 100)
  --relax-latency       print latency but do not fail on it
  --seed N              seed of the load's random choices (default 1)
  --trace FILE          write every request and window as a JSON line to FILE
  --help                this text
`

/** Parsed command line: one plan per app, and whether latency fails the run. */
export interface DrillOptions {
  help: boolean
  plans: DrillPlan[]
  judgeLatency: boolean
  /** File for the JSON-lines trace of every request, if wanted. */
  trace: string | undefined
}

/** Parses the drill's command line; throws on an unknown option or a bad value. */
export function parseDrillOptions(argv: readonly string[]): DrillOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      short: { type: 'boolean', default: false },
      apps: { type: 'string' },
      faults: { type: 'string' },
      'fault-ms': { type: 'string' },
      'after-ms': { type: 'string' },
      workers: { type: 'string' },
      rate: { type: 'string' },
      budget: { type: 'string' },
      'latency-slack': { type: 'string' },
      'relax-latency': { type: 'boolean', default: false },
      seed: { type: 'string' },
      trace: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  })
  const short = values.short === true
  const apps = list(
    values.apps ?? (short ? 'express' : Object.keys(APPS).join(',')),
    Object.keys(APPS),
    'app',
  )
  const faults = list(values.faults ?? Object.keys(FAULTS).join(','), Object.keys(FAULTS), 'fault')
  // Faults last 5 s in the short profile too: a request stuck for a whole fault then stands out
  // even under the generous latency slack a busy CI machine needs.
  const faultMs = int(values['fault-ms'], 5000, 'fault-ms', 100)
  const base = {
    instances: 2,
    faults: faults as FaultId[],
    faultMs,
    afterMs: int(values['after-ms'], short ? 3000 : 5000, 'after-ms', 100),
    // Long enough for both apps' JIT and connection pools: a colder baseline fails on latency.
    warmupMs: 5000,
    baselineMs: short ? 3000 : 5000,
    load: {
      workers: int(values.workers, 20, 'workers', 4),
      rate: int(values.rate, 400, 'rate', 1),
      items: 8,
      writePauseMs: 100,
      putGapMs: 30,
    },
    budgetMs: int(values.budget, 250, 'budget', 1),
    slackMs: int(values['latency-slack'], 100, 'latency-slack', 0),
    // Well past any fault: a request still unanswered then is stuck, not slow.
    requestTimeoutMs: faultMs + 20_000,
    seed: int(values.seed, 1, 'seed', 0),
  }
  return {
    help: values.help === true,
    judgeLatency: values['relax-latency'] !== true,
    trace: values.trace,
    plans: apps.map((app) => ({ ...base, app: app as AppName })),
  }
}

function list(text: string, known: readonly string[], what: string): string[] {
  const items = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const item of items) {
    if (!known.includes(item))
      throw new Error(`unknown ${what} ${JSON.stringify(item)}: use ${known.join(', ')}`)
  }
  if (items.length === 0) throw new Error(`no ${what} given`)
  return items
}

function int(text: string | undefined, fallback: number, name: string, min: number): number {
  if (text === undefined) return fallback
  const n = Number(text)
  if (!Number.isSafeInteger(n) || n < min)
    throw new Error(`--${name} must be an integer >= ${min}, got ${text}`)
  return n
}
