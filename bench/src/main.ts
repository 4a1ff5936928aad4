import { coreBench } from './core-bench.js'
import { httpBench } from './http-bench.js'
import { mlBench } from './ml-bench.js'
import { redisBench } from './redis-bench.js'

// Benchmarks stay out of `npm test` and CI (speed is never asserted in tests).
// `npm run bench` runs every part; `npm run bench -- core` (or redis) runs one.
const only = process.argv.slice(2).find((a) => !a.startsWith('-'))
const requested = Number.parseInt(process.env.BENCH_ROUNDS ?? '', 10)
// Unset, empty or not a positive integer: the default (an empty value once gave 0 rounds and NaN tables).
const rounds = Number.isInteger(requested) && requested > 0 ? requested : 15
console.log(`# cache-toolkit benchmarks — Node ${process.version}, ${new Date().toISOString()}`)
if (!only || only === 'core') await coreBench({ rounds })
if (!only || only === 'redis') await redisBench({ rounds: Math.min(rounds, 9) })
if (!only || only.startsWith('http'))
  await httpBench({ rounds: Math.min(rounds, 5), only: only?.split(':')[1] })
if (!only || only === 'ml') await mlBench()
process.exit(0)
