import { type ChildProcess, spawn } from 'node:child_process'
import { findFreePort, LOOPBACK } from '../redis/find-free-port.js'

/** What {@link describeHttpContract} asks an app starter for. */
export interface ContractAppEnv {
  /** How many app processes to start (1 in memory mode, 2 in Redis mode), each on its own port. */
  processes: number
  /** Environment for every process: `REDIS_URL` and `REDIS_KEY_PREFIX` in Redis mode; `undefined` removes a variable. */
  env: Record<string, string | undefined>
}

/** Running app processes. */
export interface ContractApp {
  /** One `http://127.0.0.1:<port>` per process. */
  baseUrls: string[]
  /** Stops every process (by PID). */
  stop(): Promise<void>
}

/** Options of {@link startNodeApp}. */
export interface StartNodeAppOptions extends ContractAppEnv {
  /** The script to run with the current `node` (e.g. `examples/express/dist/main.js`). */
  entry: string
  /** Path polled until it answers 200. @default '/__calls' */
  readyPath?: string
  /** How long to wait for readiness: generous, it bounds a wait, it is no deadline under test. @default 90_000 */
  startupTimeoutMs?: number
}

/**
 * Starts `processes` copies of a Node app, each with `PORT` set to a free port and `HOST` to
 * 127.0.0.1, and resolves once each answers `readyPath`. A process that exits during startup
 * fails the start with its output. `stop()` sends SIGTERM to each child by PID and SIGKILL after
 * 5 s.
 */
export async function startNodeApp(options: StartNodeAppOptions): Promise<ContractApp> {
  const children: { child: ChildProcess; output: string[] }[] = []
  const app: ContractApp = {
    baseUrls: [],
    stop: () => Promise.all(children.map(({ child }) => stopChild(child))).then(() => {}),
  }
  try {
    for (let i = 0; i < options.processes; i++) {
      const port = await findFreePort()
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), HOST: LOOPBACK }
      for (const [name, value] of Object.entries(options.env)) {
        if (value === undefined) delete env[name]
        else env[name] = value
      }
      const child = spawn(process.execPath, [options.entry], { env, stdio: ['ignore', 'pipe', 'pipe'] })
      const output: string[] = []
      child.stdout?.on('data', (d: Buffer) => output.push(d.toString()))
      child.stderr?.on('data', (d: Buffer) => output.push(d.toString()))
      children.push({ child, output })
      const url = `http://${LOOPBACK}:${port}`
      await waitReady(
        url + (options.readyPath ?? '/__calls'),
        child,
        output,
        options.startupTimeoutMs ?? 90_000,
      )
      app.baseUrls.push(url)
    }
  } catch (error) {
    await app.stop()
    throw error
  }
  return app
}

async function waitReady(
  url: string,
  child: ChildProcess,
  output: string[],
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `app exited during startup (${child.exitCode ?? child.signalCode}):\n${output.join('')}`,
      )
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      if (res.ok) return
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`app not ready at ${url} after ${timeoutMs} ms:\n${output.join('')}`)
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined)
    return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}
