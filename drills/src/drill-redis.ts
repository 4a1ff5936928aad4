import { execFileSync } from 'node:child_process'
import { setTimeout as sleep } from 'node:timers/promises'
import { type RedisServerHandle, startPrivateRedis } from '@cache/test-utils/redis'
import { Redis } from 'ioredis'

/** The version of the `redis-server` binary the harness starts (`REDIS_SERVER_BIN` or PATH), e.g. `7.0.15`. */
export function redisServerVersion(): string {
  const text = execFileSync(process.env.REDIS_SERVER_BIN ?? 'redis-server', ['--version'], {
    encoding: 'utf8',
  })
  return /v=(\d+\.\d+\.\d+)/.exec(text)?.[1] ?? '0.0.0'
}

// AOF on (fsync once a second: a SIGKILL loses nothing Redis acknowledged, only an OS crash
// would) so that a restart can bring the data back. DEBUG is refused by default since Redis 7,
// which also introduced the directive that allows it (older servers refuse the directive).
function serverConfig(): Record<string, string> {
  const config: Record<string, string> = { appendonly: 'yes', appendfsync: 'everysec' }
  if (Number(redisServerVersion().split('.')[0]) >= 7) config['enable-debug-command'] = 'yes'
  return config
}

/**
 * The drill's private `redis-server` on a free 127.0.0.1 port (the test-utils harness), with
 * the few operations the faults need. The port never changes, so the apps reconnect to whatever
 * server runs on it.
 */
export class DrillRedis {
  #server: RedisServerHandle

  private constructor(server: RedisServerHandle) {
    this.#server = server
  }

  /** Starts the server. */
  static async start(): Promise<DrillRedis> {
    return new DrillRedis(await startPrivateRedis({ config: serverConfig() }))
  }

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return this.#server.url
  }

  /** SIGKILL (a crash); the apps' connections drop. */
  kill(): Promise<void> {
    return this.#server.kill()
  }

  /**
   * Starts Redis again on the same port after {@link kill}: from the same directory, replaying
   * its append-only file (`keepData`), or as a new, empty server (data lost, as after a crash
   * without persistence).
   */
  async restart(keepData: boolean): Promise<void> {
    if (keepData) return this.#server.restart()
    const old = this.#server
    this.#server = await startPrivateRedis({ config: serverConfig(), port: old.port })
    await old.stop()
  }

  /**
   * Runs `command` on a connection of its own (the apps' connections are the ones under test),
   * failing after `timeoutMs` when given.
   */
  async command(command: [string, ...(string | number)[]], timeoutMs?: number): Promise<unknown> {
    const admin = new Redis(this.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      ...(timeoutMs === undefined ? {} : { connectTimeout: timeoutMs, commandTimeout: timeoutMs }),
    })
    admin.on('error', () => {})
    try {
      await admin.connect()
      return await admin.call(...command)
    } finally {
      // Not QUIT: under CLIENT PAUSE it would wait for the pause too.
      admin.disconnect()
    }
  }

  /**
   * Resolves once a fresh connection can write (a SET and a DEL): the end of a fault, seen from
   * outside the apps. Rejects after `timeoutMs`.
   */
  async waitWritable(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      try {
        await this.command(['SET', '__drill:probe', '1', 'PX', 1000], 1000)
        await this.command(['DEL', '__drill:probe'], 1000)
        return
      } catch (error) {
        if (Date.now() > deadline)
          throw new Error(`Redis not writable after ${timeoutMs} ms`, { cause: error })
        await sleep(50)
      }
    }
  }

  /** Stops the server (by PID) and removes its directory. */
  stop(): Promise<void> {
    return this.#server.stop()
  }
}
