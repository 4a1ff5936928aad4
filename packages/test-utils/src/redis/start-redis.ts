import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Redis, type RedisOptions } from 'ioredis'
import { findFreePort, LOOPBACK } from './find-free-port.js'
import { AddressInUseError, type RedisProcess, spawnRedisProcess } from './redis-process.js'

/** Options for {@link startRedis}. */
export interface StartRedisOptions {
  /**
   * Extra `redis.conf` directives passed as `--name value`, e.g.
   * `{ requirepass: 's3cret', maxmemory: '2mb', 'maxmemory-policy': 'allkeys-lru' }`.
   * A `requirepass` also goes into {@link RedisServerHandle.url} and every `client()`.
   */
  config?: Record<string, string | number>
  /** Raw extra command-line arguments, appended last. */
  args?: readonly string[]
  /** A fixed port instead of a free one (no retry when it is taken). */
  port?: number
  /** How long to wait for the first PING answer; default 10 s. */
  startupTimeoutMs?: number
}

/** A private `redis-server` started by {@link startRedis}; every fault operation is allowed on it. */
export interface RedisServerHandle {
  /** `redis://[:password@]127.0.0.1:<port>`. */
  readonly url: string
  /** Always `127.0.0.1`. */
  readonly host: string
  /** The port; it stays the same across {@link RedisServerHandle.restart}. */
  readonly port: number
  /** The password set through `config.requirepass`, if any. */
  readonly password: string | undefined
  /** PID of the current server process (changes on restart). */
  readonly pid: number
  /** True while the server process is alive (also while SIGSTOPped). */
  readonly running: boolean
  /** Closes every `client()`, SIGKILLs the server by PID, waits for the exit and removes its temp dir. Idempotent. */
  stop(): Promise<void>
  /** SIGKILLs the server by PID (a crash) and waits for the exit; clients stay open and reconnect on restart. */
  kill(): Promise<void>
  /** `CLIENT PAUSE ms ALL` from a separate short-lived connection: commands from every client wait `ms`. */
  pause(ms: number): Promise<void>
  /** SIGSTOP: the server freezes (sockets stay open, nothing answers) until {@link RedisServerHandle.sigcont}. */
  sigstop(): void
  /** SIGCONT after {@link RedisServerHandle.sigstop}. */
  sigcont(): void
  /** Kills the server if it runs, then starts a fresh, empty one on the same port. */
  restart(): Promise<void>
  /** FLUSHALL: fine here because the server is private to its creator. */
  flushall(): Promise<void>
  /** A new ioredis client for inspection, closed by {@link RedisServerHandle.stop}. */
  client(options?: RedisOptions): Redis
}

/**
 * Starts a private `redis-server` on a free 127.0.0.1 port (no persistence: `--save ''`,
 * `--appendonly no`, working dir in a fresh temp dir) and resolves once it answers PING.
 * Retries on another port when the chosen one was taken in between.
 *
 * @example
 * const redis = await startRedis({ config: { maxmemory: '2mb' } })
 * try { ... redis.url ... } finally { await redis.stop() }
 */
export async function startRedis(options: StartRedisOptions = {}): Promise<RedisServerHandle> {
  const attempts = options.port === undefined ? 5 : 1
  for (let attempt = 1; ; attempt++) {
    const port = options.port ?? (await findFreePort())
    try {
      return await launch(port, options)
    } catch (error) {
      if (!(error instanceof AddressInUseError) || attempt >= attempts) throw error
    }
  }
}

async function launch(port: number, options: StartRedisOptions): Promise<RedisServerHandle> {
  const host = LOOPBACK
  const dir = await mkdtemp(join(tmpdir(), 'cache-redis-'))
  const args = serverArgs(port, dir, options)
  const password = options.config?.requirepass === undefined ? undefined : String(options.config.requirepass)
  const timeout = options.startupTimeoutMs
  let proc: RedisProcess
  try {
    proc = await spawnRedisProcess(args, host, port, password, timeout)
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }

  const clients = new Set<Redis>()
  let stopped = false
  const connectionOptions = (): RedisOptions => ({
    host,
    port,
    ...(password === undefined ? {} : { password }),
  })

  const handle: RedisServerHandle = {
    url: `redis://${password === undefined ? '' : `:${encodeURIComponent(password)}@`}${host}:${port}`,
    host,
    port,
    password,
    get pid() {
      return proc.pid
    },
    get running() {
      return proc.running
    },
    async stop() {
      if (stopped) return
      stopped = true
      for (const client of clients) client.disconnect()
      clients.clear()
      await proc.kill()
      await rm(dir, { recursive: true, force: true })
    },
    kill: () => proc.kill(),
    async pause(ms) {
      // A dedicated connection: the caller's clients are the ones meant to wait, and disconnect()
      // (not QUIT, which would itself be paused) closes it without waiting for the pause to end.
      const admin = new Redis({ ...connectionOptions(), lazyConnect: true, maxRetriesPerRequest: 0 })
      admin.on('error', () => {})
      try {
        await admin.connect()
        await admin.call('CLIENT', 'PAUSE', String(Math.max(0, Math.round(ms))), 'ALL')
      } finally {
        admin.disconnect()
      }
    },
    sigstop: () => proc.signal('SIGSTOP'),
    sigcont: () => proc.signal('SIGCONT'),
    async restart() {
      if (stopped) throw new Error('restart() after stop()')
      await proc.kill()
      // Same port on purpose (clients reconnect to it); no retry on another port. Redis sets
      // SO_REUSEADDR, so sockets in TIME_WAIT do not block the rebind.
      proc = await spawnRedisProcess(args, host, port, password, timeout)
    },
    async flushall() {
      const admin = new Redis({ ...connectionOptions(), lazyConnect: true, maxRetriesPerRequest: 0 })
      admin.on('error', () => {})
      try {
        await admin.connect()
        await admin.flushall()
      } finally {
        admin.disconnect()
      }
    },
    client(clientOptions) {
      if (stopped) throw new Error('client() after stop()')
      const client = new Redis({ ...connectionOptions(), ...clientOptions })
      // Inspection clients see kills and restarts on purpose; without a listener ioredis prints
      // every reconnect error. Commands still reject, so nothing is hidden from the test.
      client.on('error', () => {})
      client.once('end', () => clients.delete(client))
      clients.add(client)
      return client
    },
  }
  return handle
}

function serverArgs(port: number, dir: string, options: StartRedisOptions): string[] {
  const args = ['--port', String(port), '--bind', LOOPBACK, '--save', '', '--appendonly', 'no', '--dir', dir]
  args.push('--daemonize', 'no', '--loglevel', 'warning')
  for (const [name, value] of Object.entries(options.config ?? {})) args.push(`--${name}`, String(value))
  args.push(...(options.args ?? []))
  return args
}
