// Benchmarks stay out of `npm test` and CI (speed is never asserted in tests).
// `npm run bench` runs every part; `npm run bench -- core` (or redis) runs one.
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const PARTS = ['core', 'redis', 'http', 'ml'] as const
const only = process.argv.slice(2).find((a) => !a.startsWith('-'))
const requested = Number.parseInt(process.env.BENCH_ROUNDS ?? '', 10)
// Unset, empty or not a positive integer: the default (an empty value once gave 0 rounds and NaN tables).
const rounds = Number.isInteger(requested) && requested > 0 ? requested : 15
if (process.env.BENCH_PART_OF_RUN === undefined)
  console.log(`# cache-toolkit benchmarks — Node ${process.version}, ${new Date().toISOString()}`)
if (!only) {
  // Each part in a process of its own: a part's heap (the core part keeps every peer's cache
  // full) would otherwise tax the next part's garbage collections, ours and the peers' alike
  // but not evenly, since they allocate differently.
  for (const part of PARTS) {
    const code = await new Promise<number | null>((resolve) => {
      fork(fileURLToPath(import.meta.url), [part], {
        execArgv: process.execArgv,
        env: { ...process.env, BENCH_PART_OF_RUN: '1' },
        stdio: 'inherit',
      }).on('exit', resolve)
    })
    if (code !== 0) {
      console.error(`\nThe ${part} part exited with ${code}.`)
      process.exitCode = 1
    }
  }
  process.exit()
}
if (!PARTS.some((part) => only === part || (part === 'http' && only.startsWith('http:')))) {
  console.error(
    `unknown part "${only}": one of ${PARTS.join(', ')}, or http:express, http:fastify, http:nest`,
  )
  process.exit(2)
}
// Each part is imported when it runs: one that cannot load (a package not built) fails alone.
if (only === 'core') await (await import('./core-bench.js')).coreBench({ rounds })
if (only === 'redis') await (await import('./redis-bench.js')).redisBench({ rounds: Math.min(rounds, 9) })
if (only.startsWith('http'))
  await (await import('./http-bench.js')).httpBench({
    rounds: Math.min(rounds, 5),
    only: only.split(':')[1],
  })
if (only === 'ml') await (await import('./ml-bench.js')).mlBench()
process.exit(0)
