// Benchmarks stay out of `npm test` and CI (speed is never asserted in tests).
// `npm run bench` runs every part; `npm run bench -- core` (or redis) runs one.
const only = process.argv.slice(2).find((a) => !a.startsWith('-'))
const requested = Number.parseInt(process.env.BENCH_ROUNDS ?? '', 10)
// Unset, empty or not a positive integer: the default (an empty value once gave 0 rounds and NaN tables).
const rounds = Number.isInteger(requested) && requested > 0 ? requested : 15
console.log(`# cache-toolkit benchmarks — Node ${process.version}, ${new Date().toISOString()}`)
// Each part is imported when it runs: one that cannot load (a package not built) fails alone.
if (!only || only === 'core') await (await import('./core-bench.js')).coreBench({ rounds })
if (!only || only === 'redis')
  await (await import('./redis-bench.js')).redisBench({ rounds: Math.min(rounds, 9) })
if (!only || only.startsWith('http'))
  await (await import('./http-bench.js')).httpBench({
    rounds: Math.min(rounds, 5),
    only: only?.split(':')[1],
  })
if (!only || only === 'ml') await (await import('./ml-bench.js')).mlBench()
process.exit(0)
