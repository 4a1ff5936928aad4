import { setTimeout as sleep } from 'node:timers/promises'
import type { DrillRedis } from './drill-redis.js'

/** A Redis fault the drill injects under load. */
export interface Fault {
  /** Its row name in the report, for a fault lasting `ms`. */
  name(ms: number): string
  /** Injects the fault and ends it after about `ms`; the caller then waits until Redis is writable. */
  run(redis: DrillRedis, ms: number): Promise<void>
}

const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))}`

/** Every fault, by the id the `--faults` option takes, in the order a drill runs them. */
export const FAULTS = {
  kill: {
    name: (ms) => `kill, ${seconds(ms)} s down, restart empty`,
    async run(redis, ms) {
      await redis.kill()
      await sleep(ms)
      await redis.restart(false)
    },
  },
  'kill-aof': {
    name: (ms) => `kill, ${seconds(ms)} s down, restart from AOF`,
    async run(redis, ms) {
      await redis.kill()
      await sleep(ms)
      await redis.restart(true)
    },
  },
  'debug-sleep': {
    name: (ms) => `DEBUG SLEEP ${seconds(ms)}`,
    // Answers once the server wakes up: the whole server is blocked meanwhile.
    run: (redis, ms) => redis.command(['DEBUG', 'SLEEP', seconds(ms)]).then(() => {}),
  },
  'pause-all': {
    name: (ms) => `CLIENT PAUSE ${ms} ALL`,
    async run(redis, ms) {
      await redis.command(['CLIENT', 'PAUSE', ms, 'ALL'])
      await sleep(ms)
    },
  },
  'pause-write': {
    // Reads go on; writes, PUBLISH and scripts that may write wait for the pause to end.
    name: (ms) => `CLIENT PAUSE ${ms} WRITE`,
    async run(redis, ms) {
      await redis.command(['CLIENT', 'PAUSE', ms, 'WRITE'])
      await sleep(ms)
    },
  },
  flushall: {
    // The fault is instant; its window is the refill that follows.
    name: () => 'FLUSHALL',
    async run(redis, ms) {
      await redis.command(['FLUSHALL'])
      await sleep(ms)
    },
  },
  maxmemory: {
    // With the default noeviction policy, every write that needs memory fails with OOM.
    name: (ms) => `maxmemory 1mb for ${seconds(ms)} s`,
    async run(redis, ms) {
      await redis.command(['CONFIG', 'SET', 'maxmemory', '1mb'])
      await sleep(ms)
      await redis.command(['CONFIG', 'SET', 'maxmemory', '0'])
    },
  },
} satisfies Record<string, Fault>

/** The id of a fault in {@link FAULTS}. */
export type FaultId = keyof typeof FAULTS
