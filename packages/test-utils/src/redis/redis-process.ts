import { type ChildProcess, spawn } from 'node:child_process'
import { connect } from 'node:net'

/** Path or name of the `redis-server` binary; `REDIS_SERVER_BIN` overrides it. */
export const REDIS_SERVER_BIN = process.env.REDIS_SERVER_BIN ?? 'redis-server'

/** Raised when `redis-server` could not bind its port, so the caller can retry on another one. */
export class AddressInUseError extends Error {
  /** Same code Node uses for the equivalent socket error. */
  readonly code = 'EADDRINUSE'
}

/** One running `redis-server` child process (internal building block of the harness). */
export interface RedisProcess {
  /** PID of the `redis-server` process itself (not a shell). */
  readonly pid: number
  /** Resolves once the process has exited (and been reaped). */
  readonly exited: Promise<void>
  /** True until the process has exited. */
  readonly running: boolean
  /** The last few KB of the server's stdout/stderr, for error messages. */
  output(): string
  /** Sends a signal by PID; a no-op once the process has exited. */
  signal(signal: NodeJS.Signals): void
  /** SIGKILL, then waits for the exit; also ends the watchdog. */
  kill(): Promise<void>
}

const live = new Set<ChildProcess>()
let exitHookInstalled = false

// Safety net for a test process that ends without calling stop(): `exit` listeners run on a normal
// exit and on process.exit(). Only our own children, by PID.
function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.once('exit', () => {
    for (const child of live) {
      try {
        if (child.pid) process.kill(child.pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
  })
}

// The `exit` hook does not run when the test process is killed by a signal (a vitest worker killed
// on timeout, a CI job cancelled). A tiny detached shell polls this process and SIGKILLs the server
// once its parent is gone, so shared machines do not collect orphaned servers. It gives up as soon
// as the server itself is gone, and only kills when the parent really is gone.
const WATCHDOG_SCRIPT =
  'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done; ' +
  'if ! kill -0 "$1" 2>/dev/null; then kill -9 "$2" 2>/dev/null; fi'

function startWatchdog(serverPid: number): ChildProcess | undefined {
  try {
    const watchdog = spawn(
      '/bin/sh',
      ['-c', WATCHDOG_SCRIPT, 'redis-watchdog', String(process.pid), String(serverPid)],
      {
        detached: true,
        stdio: 'ignore',
      },
    )
    watchdog.on('error', () => {})
    watchdog.unref()
    return watchdog
  } catch {
    // No /bin/sh: the exit hook still covers normal exits.
    return undefined
  }
}

/**
 * Spawns `redis-server` with `args` and resolves once that very process (checked by PID) answers
 * on host:port, authenticating with `password` when given. Rejects with {@link AddressInUseError}
 * when the port was taken, or with the server's output when it exits or does not answer within
 * `timeoutMs`.
 */
export async function spawnRedisProcess(
  args: readonly string[],
  host: string,
  port: number,
  password?: string,
  timeoutMs = 10_000,
): Promise<RedisProcess> {
  installExitHook()
  const spawnedAt = Date.now()
  let output = ''
  let running = true
  const child = spawn(REDIS_SERVER_BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  const append = (chunk: Buffer) => {
    // Only the tail matters for diagnostics; keep memory flat for long-running servers.
    output = (output + chunk.toString('utf8')).slice(-8192)
  }
  child.stdout?.on('data', append)
  child.stderr?.on('data', append)
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      running = false
      live.delete(child)
      resolve()
    })
    child.once('error', (error) => {
      running = false
      live.delete(child)
      output += `\nspawn error: ${error.message}`
      resolve()
    })
  })
  // 'close' comes after 'exit' once stdout/stderr are drained: the output is complete only then.
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()))
  if (child.pid === undefined) {
    await exited
    throw new Error(`could not start ${REDIS_SERVER_BIN} (is it installed and on PATH?): ${output.trim()}`)
  }
  live.add(child)
  const pid = child.pid
  // A forgotten stop() must not keep the test process alive forever: unref the child and its pipes
  // (the exit hook then kills it); kill() refs it again while it waits for the exit.
  child.unref()
  for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void }).unref?.()
  const watchdog = startWatchdog(pid)

  const handle: RedisProcess = {
    pid,
    exited,
    get running() {
      return running
    },
    output: () => output,
    signal(signal) {
      if (!running) return
      try {
        process.kill(pid, signal)
      } catch {
        // Exited between the check and the signal.
      }
    },
    async kill() {
      child.ref()
      handle.signal('SIGKILL')
      await exited
      if (watchdog?.pid !== undefined && watchdog.exitCode === null) {
        try {
          process.kill(watchdog.pid, 'SIGKILL')
        } catch {
          // Already gone.
        }
      }
    },
  }

  const deadline = Date.now() + timeoutMs
  while (true) {
    if (!running) {
      await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 1000))])
      if (/address already in use/i.test(output)) {
        throw new AddressInUseError(`port ${port} is already in use`)
      }
      throw new Error(`redis-server exited during startup (port ${port}):\n${output.trim()}`)
    }
    const probe = await probeRedis(host, port, password)
    // Only our own process counts: while ours is still failing to bind, a PING on the port would be
    // answered by whoever holds it. Without the password the PID is unknown; then the process must
    // have survived its bind (which fails at once) for a moment.
    if (
      probe.state === 'up' &&
      (probe.pid === undefined ? Date.now() - spawnedAt > 300 : probe.pid === pid)
    ) {
      return handle
    }
    if (Date.now() > deadline) {
      await handle.kill()
      throw new Error(
        `redis-server did not answer PING on ${host}:${port} within ${timeoutMs} ms:\n${output.trim()}`,
      )
    }
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** What {@link probeRedis} found on a port. */
export type RedisProbe =
  | { state: 'down' }
  | { state: 'loading' }
  /** `pid` is the `process_id` the server reports; absent when it wants a password we do not have. */
  | { state: 'up'; pid?: number }

/**
 * Asks whatever listens on host:port for `INFO server` (after `AUTH` when a password is given)
 * over a raw socket, so that a password-protected server also counts as up and so that the caller
 * can check the answering process really is the one it started (another server may hold the port).
 */
export function probeRedis(
  host: string,
  port: number,
  password?: string,
  timeoutMs = 1000,
): Promise<RedisProbe> {
  return new Promise((resolve) => {
    let buffer = ''
    const replies: string[] = []
    const expected = password === undefined ? 1 : 2
    const socket = connect({ host, port })
    const done = (probe: RedisProbe) => {
      socket.destroy()
      resolve(probe)
    }
    socket.setTimeout(timeoutMs, () => done({ state: 'down' }))
    socket.once('error', () => done({ state: 'down' }))
    socket.once('close', () => done({ state: 'down' }))
    socket.once('connect', () => {
      const auth = password === undefined ? '' : command('AUTH', password)
      socket.write(auth + command('INFO', 'server'))
    })
    socket.on('data', (chunk) => {
      buffer += chunk.toString('latin1')
      // Minimal RESP reader: status/error lines, and the one bulk string INFO answers with.
      while (replies.length < expected) {
        const eol = buffer.indexOf('\r\n')
        if (eol < 0) return
        if (buffer[0] === '$') {
          const length = Number(buffer.slice(1, eol))
          if (buffer.length < eol + 2 + length + 2) return
          replies.push(buffer.slice(eol + 2, eol + 2 + length))
          buffer = buffer.slice(eol + 2 + length + 2)
        } else {
          replies.push(buffer.slice(0, eol))
          buffer = buffer.slice(eol + 2)
        }
      }
      const info = replies[expected - 1]!
      if (info.startsWith('-LOADING')) return done({ state: 'loading' })
      if (info.startsWith('-NOAUTH') || info.startsWith('-WRONGPASS')) return done({ state: 'up' })
      const pid = /^process_id:(\d+)/m.exec(info)?.[1]
      done(pid === undefined ? { state: 'up' } : { state: 'up', pid: Number(pid) })
    })
  })
}

function command(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join('')}`
}

/** True when a Redis server (any server) answers on host:port. */
export async function answersPing(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return (await probeRedis(host, port, undefined, timeoutMs)).state === 'up'
}
