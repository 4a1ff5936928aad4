import { coreBench } from './core-bench.js'

// Benchmarks stay out of `npm test` and CI (speed is never asserted in tests).
const only = process.argv[2]
console.log(`# cache-toolkit benchmarks — Node ${process.version}, ${new Date().toISOString()}`)
if (!only || only === 'core') await coreBench({ rounds: Number(process.env.BENCH_ROUNDS ?? 15) })
