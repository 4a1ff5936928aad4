import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url))

/** Options of {@link forkVariant}. */
export interface ForkOptions {
  /** Node flags for the server, after `--import tsx`. @default [] */
  execArgv?: string[]
  /** Environment variables for the server, over this process's. @default {} */
  env?: Record<string, string>
  /** `'pipe'`: the caller reads the server's stdout. @default 'ignore' */
  stdout?: 'ignore' | 'pipe'
}

/**
 * Starts one server variant in its own process with extra Node flags (`execArgv`, after
 * `--import tsx`) and environment (`env`, over this process's), and resolves once it listens.
 * `stdout: 'pipe'` hands its output to the caller.
 */
export async function forkVariant(
  variant: string,
  { execArgv = [], env = {}, stdout = 'ignore' }: ForkOptions = {},
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(SERVER, [variant], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    // A server that dies before it listens (a crash, a bad flag) must not leave the caller waiting.
    child.once('exit', (code, signal) =>
      reject(new Error(`${variant} exited before listening (${signal ?? `code ${code}`})`)),
    )
    child.on('message', (m: { op: string; port?: number; message?: string }) => {
      if (m.op === 'ready') resolve(m.port!)
      if (m.op === 'error') reject(new Error(`${variant}: ${m.message}`))
    })
  })
  child.removeAllListeners('exit')
  return { child, port }
}
