import { monitorEventLoopDelay } from 'node:perf_hooks'
import { setTimeout as sleep } from 'node:timers/promises'
import { AppInstances, type AppName } from './app-instances.js'
import { DrillLoad, type LoadOptions } from './drill-load.js'
import { DrillRecorder, latencyTargets, type Row, type TraceEvent } from './drill-recorder.js'
import { DrillRedis } from './drill-redis.js'
import { FAULTS, type FaultId } from './faults.js'
import { HttpClient } from './http-client.js'
import { Random } from './random.js'
import { VersionLedger } from './version-ledger.js'

/** What one drill runs: an app, its faults and their timing, the load. */
export interface DrillPlan {
  app: AppName
  /** App instances sharing the Redis. @default 2 */
  instances: number
  faults: readonly FaultId[]
  /** How long each fault lasts (server down, sleep, pause, memory limit; the refill after FLUSHALL). */
  faultMs: number
  /** The recovery window measured after each fault. */
  afterMs: number
  /** Load before the baseline, not judged for latency (JIT, connection set-up). */
  warmupMs: number
  /** Load without any fault: the reference row. */
  baselineMs: number
  load: Omit<LoadOptions, 'baseUrls'>
  /** The cache's per-request budget (`remote.timeout` of the apps; 250 ms by default). */
  budgetMs: number
  /** Slack on top of handler time + budget for the box itself (scheduling, GC). */
  slackMs: number
  /** A request unanswered after this long is failed. */
  requestTimeoutMs: number
  seed: number
}

/** What a drill found: one row per phase, or the error that stopped it. */
export interface DrillResult {
  app: AppName
  rows: Row[]
  /** A harness failure (Redis or an app would not start, an app crashed): the drill failed. */
  error?: string
  /**
   * Event-loop delay of the drill process itself (p99 and max, ms). High values mean the box was
   * too busy for the latencies to be the apps' alone: the drill's clock reads late too.
   */
  loopDelay: { p99: number; max: number }
}

/**
 * Runs one drill: a private Redis, `plan.instances` instances of the app on it, the steady load,
 * then each fault in turn (its window, then a recovery window), then a read-back of every item
 * from every instance once the load has stopped. Everything it started is stopped, whatever
 * happens. `trace` receives every request (see {@link DrillRecorder}).
 */
export async function runDrill(
  plan: DrillPlan,
  log: (line: string) => void,
  trace?: (event: TraceEvent) => void,
): Promise<DrillResult> {
  const recorder = new DrillRecorder(latencyTargets(plan.budgetMs, plan.slackMs), trace)
  const result: DrillResult = { app: plan.app, rows: [], loopDelay: { p99: 0, max: 0 } }
  const loop = monitorEventLoopDelay({ resolution: 10 })
  loop.enable()
  const client = new HttpClient(plan.requestTimeoutMs)
  let redis: DrillRedis | undefined
  let apps: AppInstances | undefined
  let load: DrillLoad | undefined
  try {
    redis = await DrillRedis.start()
    apps = await AppInstances.start(plan.app, redis.url, plan.instances)
    log(`${plan.app}: ${plan.instances} instances on ${apps.baseUrls.join(', ')}, Redis at ${redis.url}`)
    const running = apps
    const phase = async (name: string, window: 'during' | 'after', ms: number, judgeLatency = true) => {
      recorder.begin(name, window, judgeLatency)
      await sleep(ms)
      assertRunning(running)
    }

    load = new DrillLoad(client, recorder, new VersionLedger(), new Random(plan.seed), {
      ...plan.load,
      baseUrls: apps.baseUrls,
    })
    recorder.begin('warm-up', 'during', false)
    load.start()
    await phase('warm-up', 'during', plan.warmupMs, false)
    await phase('no fault (baseline)', 'during', plan.baselineMs)
    for (const id of plan.faults) {
      const fault = FAULTS[id]
      const name = fault.name(plan.faultMs)
      log(`${plan.app}: ${name}`)
      recorder.begin(name, 'during')
      await fault.run(redis, plan.faultMs)
      await redis.waitWritable()
      await phase(name, 'after', plan.afterMs)
    }
    await load.stop()
    // Every write is acknowledged now: each instance must answer each item's last version.
    recorder.begin('read-back after the load', 'during', false)
    await load.readBack()
    assertRunning(apps)
  } catch (error) {
    result.error = (error as Error).stack ?? String(error)
    if (apps !== undefined) result.error += `\n${apps.output()}`
  } finally {
    await load?.stop()
    client.close()
    await apps?.stop()
    await redis?.stop()
  }
  loop.disable()
  result.loopDelay = { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 }
  result.rows = recorder.rows()
  return result
}

function assertRunning(apps: AppInstances): void {
  const crashed = apps.crashed()
  if (crashed !== undefined) throw new Error(crashed)
}
