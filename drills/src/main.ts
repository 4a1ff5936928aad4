// The fault drills: `npm run drills -- --help`.
import { createWriteStream } from 'node:fs'
import { cpus } from 'node:os'
import { parseDrillOptions, USAGE } from './drill-options.js'
import { latencyTargets, type Row, rowPassed } from './drill-recorder.js'
import { redisServerVersion } from './drill-redis.js'
import { reportTable } from './report-table.js'
import { runDrill } from './run-drill.js'

let options: ReturnType<typeof parseDrillOptions>
try {
  options = parseDrillOptions(process.argv.slice(2))
} catch (error) {
  console.error(`${(error as Error).message}\n\n${USAGE}`)
  process.exit(2)
}
if (options.help) {
  console.log(USAGE)
  process.exit(0)
}

// Ctrl-C: exit through process.exit so the exit hooks stop the apps and the Redis server.
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130))

const first = options.plans[0]!
const targets = latencyTargets(first.budgetMs, first.slackMs)
console.log(
  [
    `Fault drills: ${first.instances} instances per app, one private redis-server ${redisServerVersion()}, node ${process.version}, ${cpus().length} CPUs`,
    `Load: ${first.load.workers} workers, ~${first.load.rate} req/s of reads and predicts, ${first.load.items} items, seed ${first.seed}`,
    `Faults last ${first.faultMs} ms, recovery windows ${first.afterMs} ms`,
    `Latency target = handler time + budget ${first.budgetMs} ms + slack ${first.slackMs} ms: ${Object.entries(
      targets,
    )
      .map(([route, ms]) => `${route} <= ${ms} ms`)
      .join(', ')}${options.judgeLatency ? '' : ' (--relax-latency: shown, not judged)'}`,
    '',
  ].join('\n'),
)

const traceFile = options.trace === undefined ? undefined : createWriteStream(options.trace)
let failed = false
for (const plan of options.plans) {
  const started = Date.now()
  const trace =
    traceFile && ((event: object) => traceFile.write(`${JSON.stringify({ app: plan.app, ...event })}\n`))
  const result = await runDrill(plan, (line) => console.error(`  ${line}`), trace)
  const passed =
    result.error === undefined && result.rows.every((row) => rowPassed(row, options.judgeLatency))
  failed ||= !passed
  console.log(
    `\n## ${plan.app} (${Math.round((Date.now() - started) / 1000)} s): ${passed ? 'PASS' : 'FAIL'}\n`,
  )
  console.log(reportTable(result.rows, options.judgeLatency))
  const { p99, max } = result.loopDelay
  console.log(`\nThe drill's own event-loop delay: p99 ${Math.round(p99)} ms, max ${Math.round(max)} ms`)
  const examples = result.rows.flatMap((row) => row.examples.map((e) => `  [${row.name}] ${e}`))
  if (examples.length > 0) console.log(`\nFirst failures per row:\n${examples.join('\n')}`)
  const slowest = result.rows.flatMap((row) => slowestOf(row).map((s) => `  [${row.name}] ${s}`))
  console.log(`\nSlowest request per window:\n${slowest.join('\n')}`)
  if (result.error !== undefined) console.log(`\nDrill stopped by an error:\n${result.error}`)
}
console.log(`\nFault drills ${failed ? 'FAILED' : 'passed'}`)
if (traceFile !== undefined) await new Promise((resolve) => traceFile.end(resolve))
process.exit(failed ? 1 : 0)

function slowestOf(row: Row): string[] {
  return (['during', 'after'] as const).flatMap((window) => {
    const slow = row[window].slowest
    return slow === undefined ? [] : [`${window}: ${slow.route} ${Math.round(slow.ms)} ms (${slow.detail})`]
  })
}
