import { type ChildProcess, fork } from 'node:child_process'
import http from 'node:http'
import { fileURLToPath } from 'node:url'

const SERVER = fileURLToPath(new URL('./server.ts', import.meta.url))

/**
 * Starts one server variant in its own process with extra Node flags (`execArgv`, after
 * `--import tsx`), and resolves once it listens. `stdout: 'pipe'` hands its output to the caller.
 */
export async function forkVariant(
  variant: string,
  execArgv: string[],
  stdout: 'ignore' | 'pipe' = 'ignore',
): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(SERVER, [variant], {
    execArgv: ['--import', 'tsx', ...execArgv],
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { op: string; port?: number; message?: string }) => {
      if (m.op === 'ready') resolve(m.port!)
      if (m.op === 'error') reject(new Error(m.message))
    })
  })
  return { child, port }
}

/** Sequential misses on one keep-alive connection: each `miss()` requests a new URL. */
export function missClient(port: number): { miss(): Promise<void>; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  let n = 0
  const miss = () =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path: `/item?i=${n++}-${Math.random()}`, agent }, (res) => {
          res.resume()
          res.on('end', resolve)
        })
        .on('error', reject)
    })
  return { miss, close: () => agent.destroy() }
}
