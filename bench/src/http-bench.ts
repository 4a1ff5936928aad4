import { type ChildProcess, fork } from 'node:child_process'
import http from 'node:http'
import { fileURLToPath } from 'node:url'
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon'
import { median, printTable } from './measure.js'

const SERVER = fileURLToPath(new URL('./http/server.ts', import.meta.url))

interface Server {
  variant: string
  port: number
  child: ChildProcess
  cpu(): Promise<number>
}

async function start(variant: string): Promise<Server> {
  const child = fork(SERVER, [variant], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${variant} exited ${code}`)))
    child.on('message', (m: { op: string; port?: number; message?: string }) => {
      if (m.op === 'ready') resolve(m.port!)
      if (m.op === 'error') reject(new Error(`${variant}: ${m.message}`))
    })
  })
  child.removeAllListeners('exit')
  const cpu = () =>
    new Promise<number>((resolve) => {
      const on = (m: { op: string; micros?: number }) => {
        if (m.op === 'cpu') {
          child.off('message', on)
          resolve(m.micros!)
        }
      }
      child.on('message', on)
      child.send({ op: 'cpu' })
    })
  return { variant, port, child, cpu }
}

interface Run {
  rps: number
  p50: number
  cpuPerReq: number
}

async function load(server: Server, seconds: number, miss = false, connections = 50): Promise<Run> {
  let n = 0
  const before = await server.cpu()
  const result = await autocannon({
    url: `http://127.0.0.1:${server.port}/item`,
    connections,
    duration: seconds,
    ...(miss
      ? {
          requests: [
            {
              setupRequest: (req: { path: string }) => {
                req.path = `/item?i=${n++}-${Math.random()}`
                return req
              },
            },
          ],
        }
      : {}),
  })
  const after = await server.cpu()
  const total = result.requests.total || 1
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${server.variant}: ${result.non2xx} non-2xx, ${result.errors} errors`)
  return { rps: result.requests.average, p50: result.latency.p50, cpuPerReq: (after - before) / total }
}

/** p50 latency (ms) of sequential requests on one keep-alive connection, each to a new URL (all misses). */
async function missLatency(server: Server, n = 400): Promise<{ p50: number; cpuPerReq: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: server.port, path, agent }, (res) => {
          res.resume()
          res.on('end', resolve)
        })
        .on('error', reject)
    })
  for (let i = 0; i < 50; i++) await get(`/item?warm=${i}-${Math.random()}`)
  const before = await server.cpu()
  const lat: number[] = []
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint()
    await get(`/item?i=${i}-${Math.random()}`)
    lat.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  const after = await server.cpu()
  agent.destroy()
  return { p50: median(lat), cpuPerReq: (after - before) / n }
}

async function check(server: Server): Promise<string> {
  await fetch(`http://127.0.0.1:${server.port}/item`)
  const res = await fetch(`http://127.0.0.1:${server.port}/item`)
  await res.arrayBuffer()
  return res.headers.get('x-cache') ?? '-'
}

const GROUPS: Record<
  string,
  { bare: string; ours: string; peers: string[]; target: number; originMode?: string }
> = {
  Express: {
    bare: 'express-bare',
    ours: 'express-ours',
    peers: ['express-apicache'],
    target: 1.1,
    // The same hit in `freshness: 'origin'`: it must stay within 10% of the route mode's.
    originMode: 'express-ours-origin',
  },
  Fastify: {
    bare: 'fastify-bare',
    ours: 'fastify-ours',
    peers: ['fastify-async-cache-dedupe', 'fastify-bentocache'],
    target: 0.85,
  },
  'Nest (Express platform)': {
    bare: 'nest-bare',
    ours: 'nest-ours',
    peers: ['nest-cache-manager'],
    target: 0.95,
  },
}

/** HTTP part: cached-hit throughput of each adapter vs the bare framework and the peer. */
export async function httpBench({
  rounds = 5,
  seconds = 3,
  only,
}: {
  rounds?: number
  seconds?: number
  only?: string
} = {}) {
  const targets: (string | number)[][] = []
  for (const [name, group] of Object.entries(GROUPS)) {
    if (only && !name.toLowerCase().startsWith(only)) continue
    const variants = [group.bare, group.ours, ...(group.originMode ? [group.originMode] : []), ...group.peers]
    let servers: Server[]
    try {
      servers = await Promise.all(variants.map(start))
    } catch (error) {
      console.log(`\n### HTTP: ${name}\n\nskipped: ${(error as Error).message.split('\n')[0]}`)
      continue
    }
    try {
      const status = await check(servers[1]!)
      for (const s of servers) await load(s, 1) // warm-up
      const runs = new Map<string, Run[]>(variants.map((v) => [v, []]))
      const ratios = new Map<string, number[]>(variants.map((v) => [v, []]))
      for (let r = 0; r < rounds; r++) {
        const order = [...servers].sort(() => Math.random() - 0.5)
        const round = new Map<string, Run>()
        for (const s of order) round.set(s.variant, await load(s, seconds))
        for (const [v, run] of round) {
          runs.get(v)!.push(run)
          ratios.get(v)!.push(run.rps / round.get(group.bare)!.rps)
        }
      }
      const missBare: number[] = []
      const missOurs: number[] = []
      const missCpu: number[][] = [[], []]
      for (let r = 0; r < 3; r++) {
        const b = await missLatency(servers[0]!)
        const o = await missLatency(servers[1]!)
        missBare.push(b.p50)
        missOurs.push(o.p50)
        missCpu[0]!.push(b.cpuPerReq)
        missCpu[1]!.push(o.cpuPerReq)
      }
      console.log(
        `\n### HTTP: ${name} — cached hit, 50 connections, ${rounds} interleaved rounds of ${seconds} s (ours answered x-cache: ${status})\n`,
      )
      printTable(
        [
          'variant',
          'req/s (median)',
          'ratio to bare (same-round median)',
          'server CPU per request',
          'p50 latency',
        ],
        variants.map((v) => {
          const rs = runs.get(v)!
          return [
            v,
            Math.round(median(rs.map((x) => x.rps))).toLocaleString('en-US'),
            `${median(ratios.get(v)!).toFixed(2)}×`,
            `${median(rs.map((x) => x.cpuPerReq)).toFixed(1)} µs`,
            `${median(rs.map((x) => x.p50)).toFixed(2)} ms`,
          ]
        }),
      )
      const ours = median(ratios.get(group.ours)!)
      const bestPeer = Math.max(...group.peers.map((p) => median(ratios.get(p)!)))
      const missDelta = median(missOurs) - median(missBare)
      console.log(
        `\nMiss path (every request a new URL, sequential on one keep-alive connection): p50 bare ${median(missBare).toFixed(3)} ms, ours ${median(missOurs).toFixed(3)} ms (+${missDelta.toFixed(3)} ms); server CPU per request bare ${median(missCpu[0]!).toFixed(1)} µs, ours ${median(missCpu[1]!).toFixed(1)} µs`,
      )
      targets.push([
        `${name}: hit ≥ ${group.target}× bare`,
        `${ours.toFixed(2)}×`,
        ours >= group.target ? 'yes' : 'NO',
      ])
      targets.push([
        `${name}: above the peer`,
        `${ours.toFixed(2)}× vs ${bestPeer.toFixed(2)}×`,
        ours > bestPeer ? 'yes' : 'NO',
      ])
      if (group.originMode !== undefined) {
        const origin = median(ratios.get(group.originMode)!)
        targets.push([
          `${name}: freshness: 'origin' hit within 10% of the route mode's`,
          `${origin.toFixed(2)}× vs ${ours.toFixed(2)}×`,
          origin >= ours * 0.9 ? 'yes' : 'NO',
        ])
      }
      targets.push([
        `${name}: a miss adds ≤ 0.5 ms p50`,
        `+${missDelta.toFixed(3)} ms`,
        missDelta <= 0.5 ? 'yes' : 'NO',
      ])
    } finally {
      for (const s of servers) s.child.kill('SIGKILL')
    }
  }
  if (targets.length > 0) {
    console.log('\n### HTTP targets\n')
    printTable(['target', 'measured', 'met'], targets)
  }
}
