// Where the CPU of an HTTP miss goes, measured with Linux `perf` instead of the V8 profiler: one
// server variant in its own process (`--perf-basic-prof` names its JIT frames), warmed with
// sequential misses, then sampled on CPU time (all its threads, kernel included) while it answers
// more. The V8 profiler samples wall time, which on a loaded machine charges preemption to
// whatever runs; CPU-time samples do not. Each sample goes to the nearest frame of a package
// (Node's own frames go to their caller); GC and JIT compilation are counted apart.
//
// Usage: npm run bench:profile:perf -- [variant] [misses] [warm-up misses]
//        (default: fastify-ours 10000 6000; needs `perf`, which may need root)
import { execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { forkVariant } from './http/fork-variant.js'
import { missClient } from './http/miss-client.js'

const variant = process.argv[2] ?? 'fastify-ours'
const count = Number(process.argv[3] ?? 10_000)
const warm = Number(process.argv[4] ?? 6_000)
const HZ = 4000

const { child, port } = await forkVariant(variant, { execArgv: ['--perf-basic-prof'] })
const client = missClient(port)
for (let i = 0; i < warm; i++) await client.miss()

const dir = await mkdtemp(join(tmpdir(), 'cache-perf-'))
const data = join(dir, 'perf.data')
const perf = spawn(
  'perf',
  ['record', '-e', 'cpu-clock', '-F', String(HZ), '-g', '-p', String(child.pid), '-o', data],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
  },
)
await new Promise((resolve) => setTimeout(resolve, 500)) // perf attaches
for (let i = 0; i < count; i++) await client.miss()
perf.kill('SIGINT')
await new Promise((resolve) => perf.once('exit', resolve))
child.kill()
client.close()
const script = execFileSync('perf', ['script', '-i', data, '-F', 'comm,tid,ip,sym'], {
  maxBuffer: 1 << 30,
  encoding: 'utf8',
})
await rm(dir, { recursive: true, force: true })

/** Which package a JS frame belongs to, or `undefined` for Node's own code. */
function packageOf(frame: string): string | undefined {
  const ours = /packages\/(core|express|fastify|nestjs)\//.exec(frame)
  if (ours) return `@cache/${ours[1]}`
  return /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(frame)?.[1]
}

const GC = /Scaveng|MarkCompact|ConcurrentMark|Sweeper|Heap::|GCTracer/
const JIT = /OptimizingCompileDispatcher|compiler::|Compiler::|Maglev/
const parts = new Map<string, number>()
const functions = new Map<string, number>()
const add = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1)
let samples = 0
for (const block of script.split('\n\n')) {
  const frames = block
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/).slice(1).join(' '))
  if (frames.length === 0) continue
  samples++
  const stack = frames.join('\n')
  if (GC.test(stack)) add(parts, 'GC')
  else if (JIT.test(stack)) add(parts, 'JIT compilation')
  else {
    const owner = frames.find((frame) => frame.startsWith('JS:') && packageOf(frame) !== undefined)
    if (owner === undefined) add(parts, 'Node runtime and kernel')
    else {
      add(parts, packageOf(owner)!)
      const where = owner.replace(/^JS:[*^~+]?/, '').replace(/file:\/\/|\S*node_modules\//g, '')
      add(functions, where.replace(/\S*\/packages\//, 'packages/'))
    }
  }
}
const perMiss = (hits: number) => `${((hits * 1e6) / HZ / count).toFixed(1).padStart(7)} µs`
console.log(`# ${variant}: ${count} sequential misses after ${warm}; CPU per miss, all threads`)
console.log(`${perMiss(samples)}  total`)
for (const [part, hits] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`${perMiss(hits)}  ${part}`)
console.log('\nFunctions (with the Node runtime time they caused):')
for (const [where, hits] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25))
  console.log(`${perMiss(hits)}  ${where}`)
process.exit(0)
