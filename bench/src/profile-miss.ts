// Where the CPU of an HTTP miss goes: one server variant in its own process under `--cpu-prof`,
// driven with a new URL per request (every request a miss, as unique URLs, POST bodies or
// long-tail inputs are), then its profile summed by self time: per part (our packages, the
// framework, Node) and per function.
//
// Usage: npm run bench:profile -- [variant] [seconds]   (default: express-ours 10)
// Variants are those of bench/src/http/*-variants.ts (express-bare, fastify-ours, nest-ours...).
import { fork } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon'

const SERVER = fileURLToPath(new URL('./http/server.ts', import.meta.url))
const variant = process.argv[2] ?? 'express-ours'
const seconds = Number(process.argv[3] ?? 10)

interface ProfileNode {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount?: number
  children?: number[]
}

const RUNTIME = 'node (runtime, http, streams)'

/** Which part of the stack a frame belongs to, from its script URL. */
function partOf(url: string, name: string): string {
  if (name === '(garbage collector)') return 'GC'
  if (name === '(program)' || name === '(idle)' || name === '(root)') return 'other'
  const pkg =
    /\/packages\/(core|express|fastify|nestjs)\//.exec(url) ??
    /@cache\/(core|express|fastify|nestjs)\//.exec(url)
  if (pkg) return `@cache/${pkg[1]}`
  const dep = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)
  if (dep) return dep[1]!
  if (url.startsWith('node:') || url === '') return RUNTIME
  return 'other'
}

const child = fork(SERVER, [variant], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
})
const reply = (op: string) =>
  new Promise<{ port?: number }>((resolve, reject) => {
    const on = (m: { op: string; port?: number; message?: string }) => {
      if (m.op === 'error') reject(new Error(m.message))
      if (m.op !== op) return
      child.off('message', on)
      resolve(m)
    }
    child.on('message', on)
  })
const { port } = await reply('ready')
let n = 0
const misses = (duration: number) =>
  autocannon({
    url: `http://127.0.0.1:${port}/item`,
    connections: 10,
    duration,
    requests: [
      {
        setupRequest: (req: { path: string }) => {
          req.path = `/item?i=${n++}-${Math.random()}`
          return req
        },
      },
    ],
  })
await misses(2) // warm-up: the JIT settles, start-up is left out of the profile
const dir = await mkdtemp(join(tmpdir(), 'cache-profile-'))
const file = join(dir, 'miss.cpuprofile')
child.send({ op: 'profile-start' })
await reply('profile-started')
const result = await misses(seconds)
child.send({ op: 'profile-stop', file })
await reply('profile-written')
child.kill()
const profile = JSON.parse(await readFile(file, 'utf8')) as { nodes: ProfileNode[] }
await rm(dir, { recursive: true, force: true })

const byId = new Map(profile.nodes.map((node) => [node.id, node]))
const parentOf = new Map<number, number>()
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id)
const partOfNode = (node: ProfileNode) => partOf(node.callFrame.url, node.callFrame.functionName)
/** The runtime's time goes to the nearest caller outside it: a `writev` our code caused is ours. */
function caller(node: ProfileNode): ProfileNode | undefined {
  for (let at: ProfileNode | undefined = node; at !== undefined; at = byId.get(parentOf.get(at.id) ?? -1)) {
    const part = partOfNode(at)
    if (part !== RUNTIME && part !== 'other') return at
  }
  return undefined
}
const whereOf = ({ callFrame: { functionName, url, lineNumber } }: ProfileNode) =>
  `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`

const parts = new Map<string, number>()
const callers = new Map<string, number>()
const ours = new Map<string, number>()
const functions = new Map<string, number>()
let busy = 0
for (const node of profile.nodes) {
  const hits = node.hitCount ?? 0
  const { functionName, url, lineNumber } = node.callFrame
  const part = partOfNode(node)
  if (hits === 0 || part === 'other') continue
  busy += hits
  parts.set(part, (parts.get(part) ?? 0) + hits)
  const charged = part === 'GC' ? undefined : caller(node)
  const chargedPart = part === 'GC' ? 'GC' : charged === undefined ? RUNTIME : partOfNode(charged)
  callers.set(chargedPart, (callers.get(chargedPart) ?? 0) + hits)
  if (charged !== undefined && chargedPart.startsWith('@cache/'))
    ours.set(whereOf(charged), (ours.get(whereOf(charged)) ?? 0) + hits)
  const where = `${functionName || '(anonymous)'} ${url.split('/').slice(-2).join('/')}:${lineNumber + 1}`
  functions.set(`${part}\t${where}`, (functions.get(`${part}\t${where}`) ?? 0) + hits)
}
const pct = (hits: number) => `${((100 * hits) / busy).toFixed(1).padStart(5)} %`
console.log(
  `# ${variant}: ${result.requests.total} misses in ${seconds} s (${Math.round(result.requests.average)} req/s)`,
)
console.log('\nSelf time by part (busy samples; idle and program left out):')
for (const [part, hits] of [...parts].sort((a, b) => b[1] - a[1])) console.log(`  ${pct(hits)}  ${part}`)
console.log('\nThe same, with runtime time charged to the nearest caller outside the runtime:')
for (const [part, hits] of [...callers].sort((a, b) => b[1] - a[1]).slice(0, 8))
  console.log(`  ${pct(hits)}  ${part}`)
console.log('\nOur functions, with the runtime time they caused:')
for (const [where, hits] of [...ours].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`  ${pct(hits)}  ${where}`)
console.log('\nTop 25 functions by self time:')
for (const [key, hits] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
  const [part, where] = key.split('\t')
  console.log(`  ${pct(hits)}  ${where}  [${part}]`)
}
process.exit(0)
