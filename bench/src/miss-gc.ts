// What the young-generation collector does with a server variant's misses: one server in its
// own process under `--trace-gc-nvp`, warmed with sequential misses, then the scavenges of a
// window of sequential misses summed: bytes promoted to the old generation and pause per miss.
// A miss that keeps nothing should promote nothing; one that stores a response, about what it
// keeps. `--with-ioredis` preloads ioredis in the server (as an app with the Redis store has it).
//
// Usage: npm run bench:miss-gc -- [variant] [misses] [--with-ioredis]
//        (default: fastify-ours 8000)
import { forkVariant } from './http/fork-variant.js'
import { missClient } from './http/miss-client.js'

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'))
const flags = process.argv.slice(2).filter((a) => a.startsWith('--'))
const variant = args[0] ?? 'fastify-ours'
const count = Number(args[1] ?? 8000)
const withIoredis = flags.includes('--with-ioredis')
const unknown = flags.filter((f) => f !== '--with-ioredis')
if (!Number.isInteger(count) || count < 1 || unknown.length > 0 || args.length > 2) {
  console.error('usage: npm run bench:miss-gc -- [variant] [misses, a positive integer] [--with-ioredis]')
  process.exit(2)
}

const { child, port } = await forkVariant(variant, {
  execArgv: ['--trace-gc-nvp', ...(withIoredis ? ['--require', 'ioredis'] : [])],
  stdout: 'pipe',
})
let trace = ''
child.stdout!.on('data', (chunk: Buffer) => {
  trace += chunk.toString()
})
const client = missClient(port)
for (let i = 0; i < 2000; i++) await client.miss()
const from = trace.length
for (let i = 0; i < count; i++) await client.miss()
await new Promise((resolve) => setTimeout(resolve, 100)) // the last trace lines
const window = trace.slice(from)
child.kill()
client.close()

let scavenges = 0
let promoted = 0
let pause = 0
for (const line of window.split('\n')) {
  if (!line.includes('gc=s ')) continue
  const field = (name: string) => Number(new RegExp(`\\b${name}=([\\d.]+)`).exec(line)?.[1] ?? 0)
  scavenges++
  promoted += field('promoted')
  pause += field('pause')
}
console.log(
  `# ${variant}${withIoredis ? ' (ioredis loaded)' : ''}: ${count} sequential misses after 2,000\n` +
    `${scavenges} scavenges; promoted ${(promoted / count).toFixed(0)} B per miss; scavenge pause ${((pause * 1000) / count).toFixed(1)} µs per miss`,
)
process.exit(0)
