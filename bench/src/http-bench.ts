import type { ChildProcess } from 'node:child_process'
import { startPrivateRedis } from '@cache/test-utils/redis'
// @ts-expect-error autocannon ships no types
import autocannon from 'autocannon'
import { forkVariant } from './http/fork-variant.js'
import { missClient } from './http/miss-client.js'
import { median, printTable } from './measure.js'
import { redisWriteCost } from './redis-write-cost.js'

interface Server {
  variant: string
  port: number
  child: ChildProcess
  cpu(): Promise<number>
}

async function start(variant: string, redisUrl?: string): Promise<Server> {
  const { child, port } = await forkVariant(variant, {
    env: redisUrl === undefined ? {} : { BENCH_REDIS_URL: redisUrl },
  })
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

/**
 * Misses a server answers before its miss path is measured. The hit rounds never run that path
 * (storing, the flight, the key digest), so without them the first measured misses would
 * include its JIT compilation: a one-off cost of a process's first thousand misses, not what a
 * miss costs a server that has run a while.
 */
const MISS_WARM_UP = 2000

/**
 * Misses per measured block, and blocks per variant. A block of 400 misses lasted well under a
 * second, so one major GC or scheduler hiccup inside it moved that block's CPU per miss by a
 * factor of 2 to 4; ratios are now the median of same-round ratios over longer blocks.
 */
const MISS_BLOCK = 1500
const MISS_ROUNDS = 5

/** p50 latency (ms) of sequential requests on one keep-alive connection, each to a new URL (all misses). */
async function missLatency(server: Server, n = 400, warm = 50): Promise<{ p50: number; cpuPerReq: number }> {
  const client = missClient(server.port)
  for (let i = 0; i < warm; i++) await client.miss()
  const before = await server.cpu()
  const lat: number[] = []
  for (let i = 0; i < n; i++) {
    const t = process.hrtime.bigint()
    await client.miss()
    lat.push(Number(process.hrtime.bigint() - t) / 1e6)
  }
  const after = await server.cpu()
  client.close()
  return { p50: median(lat), cpuPerReq: (after - before) / n }
}

async function check(server: Server): Promise<string> {
  await fetch(`http://127.0.0.1:${server.port}/item`)
  const res = await fetch(`http://127.0.0.1:${server.port}/item`)
  await res.arrayBuffer()
  return res.headers.get('x-cache') ?? '-'
}

interface Group {
  bare: string
  ours: string
  peers: string[]
  target: number
  /** The same hit in `freshness: 'origin'`: it must stay within 10% of the route mode's. */
  originMode?: string
  /** The bytes of one of our hits replayed by the framework alone: what a hit is held to. */
  limit: string
  /** Ours with memory L1 + Redis L2 (the recommended setup). */
  l2: string
  /** Ours on Redis alone (L1 off). */
  redisOnly: string
  /**
   * Measured on the miss path beside bare and ours, for reference: the `*-floor` variant (a bare
   * URL-keyed cache: what any caching layer costs the framework) and the peers that store every
   * miss under its URL.
   */
  missReferences: string[]
}

const GROUPS: Record<string, Group> = {
  Express: {
    bare: 'express-bare',
    ours: 'express-ours',
    peers: ['express-apicache'],
    target: 1.1,
    originMode: 'express-ours-origin',
    limit: 'express-limit',
    l2: 'express-ours-l2',
    redisOnly: 'express-ours-redis',
    missReferences: ['express-floor', 'express-apicache'],
  },
  Fastify: {
    bare: 'fastify-bare',
    ours: 'fastify-ours',
    peers: ['fastify-async-cache-dedupe', 'fastify-bentocache'],
    target: 0.85,
    limit: 'fastify-limit',
    l2: 'fastify-ours-l2',
    redisOnly: 'fastify-ours-redis',
    // The Fastify peers cache inside the handler under a fixed key: they have no miss per URL.
    missReferences: ['fastify-floor'],
  },
  'Nest (Express platform)': {
    bare: 'nest-bare',
    ours: 'nest-ours',
    peers: ['nest-cache-manager'],
    target: 0.95,
    limit: 'nest-limit',
    l2: 'nest-ours-l2',
    redisOnly: 'nest-ours-redis',
    missReferences: ['nest-floor', 'nest-cache-manager'],
  },
}

/** A private redis-server for the L2 variants, or why there is none (those rows are then skipped). */
async function redisForBench(): Promise<{ url?: string; reason?: string; stop(): Promise<void> }> {
  try {
    const server = await startPrivateRedis()
    return { url: server.url, stop: () => server.stop() }
  } catch (error) {
    return { reason: (error as Error).message.split('\n')[0], stop: async () => {} }
  }
}

/** Median over rounds of `a / b`, each taken within one round. */
function sameRound(rounds: Map<string, Run>[], a: string, b: string, of: (run: Run) => number): number {
  return median(rounds.map((round) => of(round.get(a)!) / of(round.get(b)!)))
}

/** HTTP part: cached-hit throughput of each adapter vs the bare framework, the peers and the limit. */
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
  const redis = await redisForBench()
  if (redis.url === undefined)
    console.log(`\nThe memory + Redis and Redis-only rows are skipped: ${redis.reason}`)
  try {
    for (const [name, group] of Object.entries(GROUPS)) {
      if (only && !name.toLowerCase().startsWith(only)) continue
      await runGroup(name, group, { rounds, seconds, redisUrl: redis.url, targets })
    }
  } finally {
    await redis.stop()
  }
  if (targets.length > 0) {
    console.log('\n### HTTP targets\n')
    printTable(['target', 'measured', 'met'], targets)
  }
}

async function runGroup(
  name: string,
  group: Group,
  {
    rounds,
    seconds,
    redisUrl,
    targets,
  }: { rounds: number; seconds: number; redisUrl: string | undefined; targets: (string | number)[][] },
): Promise<void> {
  const withRedis = redisUrl === undefined ? [] : [group.l2, group.redisOnly]
  const variants = [
    group.bare,
    group.ours,
    ...(group.originMode ? [group.originMode] : []),
    ...group.peers,
    group.limit,
    ...withRedis,
  ]
  let servers: Server[]
  try {
    servers = await Promise.all(variants.map((v) => start(v, redisUrl)))
  } catch (error) {
    console.log(`\n### HTTP: ${name}\n\nskipped: ${(error as Error).message.split('\n')[0]}`)
    return
  }
  try {
    const status: string[] = []
    for (const s of servers) {
      if (s.variant.includes('-ours')) status.push(`${s.variant} ${await check(s)}`)
    }
    for (const s of servers) await load(s, 1) // warm-up
    const runs = new Map<string, Run[]>(variants.map((v) => [v, []]))
    const perRound: Map<string, Run>[] = []
    for (let r = 0; r < rounds; r++) {
      const order = [...servers].sort(() => Math.random() - 0.5)
      const round = new Map<string, Run>()
      for (const s of order) round.set(s.variant, await load(s, seconds))
      for (const [v, run] of round) runs.get(v)!.push(run)
      perRound.push(round)
    }
    // The miss path: bare, ours and the references, each in its own blocks, in an order that
    // turns around every round (a slow stretch of the machine then hits every side in turn).
    const missServers = [servers[0]!, servers[1]!]
    for (const v of group.missReferences) {
      missServers.push(servers.find((s) => s.variant === v) ?? (await start(v)))
      if (!servers.includes(missServers.at(-1)!)) servers.push(missServers.at(-1)!)
    }
    const missRuns: { p50: number; cpuPerReq: number }[][] = missServers.map(() => [])
    for (const s of missServers) await missLatency(s, 0, MISS_WARM_UP) // warm-up only
    for (let r = 0; r < MISS_ROUNDS; r++) {
      const order = missServers.map((_, i) => i)
      if (r % 2 === 1) order.reverse()
      for (const i of order) missRuns[i]!.push(await missLatency(missServers[i]!, MISS_BLOCK))
    }
    const missBare = missRuns[0]!.map((m) => m.p50)
    const missOurs = missRuns[1]!.map((m) => m.p50)
    const missCpu = missRuns.map((runs) => runs.map((m) => m.cpuPerReq))
    const rps = (run: Run) => run.rps
    const cpu = (run: Run) => run.cpuPerReq
    console.log(
      `\n### HTTP: ${name} — cached hit, 50 connections, ${rounds} interleaved rounds of ${seconds} s (x-cache: ${status.join(', ')})\n`,
    )
    printTable(
      [
        'variant',
        'req/s (median)',
        'ratio to bare (same-round median)',
        'server CPU per request',
        'CPU vs the limit (same round)',
        'p50 latency',
      ],
      variants.map((v) => {
        const rs = runs.get(v)!
        return [
          v,
          Math.round(median(rs.map(rps))).toLocaleString('en-US'),
          `${sameRound(perRound, v, group.bare, rps).toFixed(2)}×`,
          `${median(rs.map(cpu)).toFixed(1)} µs`,
          `${sameRound(perRound, v, group.limit, cpu).toFixed(2)}×`,
          `${median(rs.map((x) => x.p50)).toFixed(2)} ms`,
        ]
      }),
    )
    const ours = sameRound(perRound, group.ours, group.bare, rps)
    const bestPeer = Math.max(...group.peers.map((p) => sameRound(perRound, p, group.bare, rps)))
    const missDelta = median(missOurs.map((o, i) => o - missBare[i]!))
    const cpuRatio = (i: number) => median(missCpu[i]!.map((c, r) => c / missCpu[0]![r]!))
    const missCpuRatio = cpuRatio(1)
    const p50Delta = (i: number) => median(missRuns[i]!.map((m, r) => m.p50 - missBare[r]!))
    const references = group.missReferences
      .map(
        (v, j) =>
          `${v} +${p50Delta(j + 2).toFixed(3)} ms p50, ${median(missCpu[j + 2]!).toFixed(1)} µs (${cpuRatio(j + 2).toFixed(2)}×)`,
      )
      .join(', ')
    console.log(
      `\nMiss path (every request a new URL, sequential on one keep-alive connection, ${MISS_ROUNDS} rounds of one block of ${MISS_BLOCK.toLocaleString('en-US')} misses per variant; differences and ratios: median of same-round pairs): p50 bare ${median(missBare).toFixed(3)} ms, ours ${median(missOurs).toFixed(3)} ms (+${missDelta.toFixed(3)} ms); server CPU per request bare ${median(missCpu[0]!).toFixed(1)} µs, ours ${median(missCpu[1]!).toFixed(1)} µs (${missCpuRatio.toFixed(2)}×); for reference, ${references}`,
    )
    const row = (target: string, measured: string, met: boolean) =>
      targets.push([`${name}: ${target}`, measured, met ? 'yes' : 'NO'])
    row(`hit ≥ ${group.target}× bare`, `${ours.toFixed(2)}×`, ours >= group.target)
    row('above the peer', `${ours.toFixed(2)}× vs ${bestPeer.toFixed(2)}×`, ours > bestPeer)
    const oursCpu = sameRound(perRound, group.ours, group.limit, cpu)
    const peerCpu = Math.min(...group.peers.map((p) => sameRound(perRound, p, group.limit, cpu)))
    row('hit CPU ≤ 1.1× the limit', `${oursCpu.toFixed(2)}×`, oursCpu <= 1.1)
    row(
      "hit CPU ≤ every peer's (vs the limit)",
      `${oursCpu.toFixed(2)}× vs ${peerCpu.toFixed(2)}×`,
      oursCpu <= peerCpu,
    )
    if (group.originMode !== undefined) {
      const origin = sameRound(perRound, group.originMode, group.bare, rps)
      row(
        "freshness: 'origin' hit within 10% of the route mode's",
        `${origin.toFixed(2)}× vs ${ours.toFixed(2)}×`,
        origin >= ours * 0.9,
      )
    }
    if (redisUrl !== undefined) {
      const server = servers.find((s) => s.variant === group.redisOnly)!
      const cost = await redisWriteCost(server.port, redisUrl)
      row(
        'an untagged response stored on Redis writes one key',
        `${cost.keys.toFixed(2)} keys per response; writes ${Object.entries(cost.byCommand)
          .map(([cmd, count]) => `${cmd} ${count.toFixed(2)}`)
          .join(', ')}`,
        cost.keys === 1,
      )
      const l2 = sameRound(perRound, group.l2, group.ours, rps)
      row('L1+L2 hit ≥ 0.95× memory-only ours (same round)', `${l2.toFixed(2)}×`, l2 >= 0.95)
      const redisOnly = sameRound(perRound, group.redisOnly, group.bare, rps)
      row('L1 off (Redis only) hit ≥ 0.8× bare', `${redisOnly.toFixed(2)}×`, redisOnly >= 0.8)
    }
    row('a miss adds ≤ 0.5 ms p50', `+${missDelta.toFixed(3)} ms`, missDelta <= 0.5)
    row('miss p50 overhead ≤ 0.1 ms', `+${missDelta.toFixed(3)} ms`, missDelta <= 0.1)
    row('miss server CPU ≤ 1.5× bare', `${missCpuRatio.toFixed(2)}×`, missCpuRatio <= 1.5)
  } finally {
    for (const s of servers) s.child.kill('SIGKILL')
  }
}
