import { spawn } from 'node:child_process'

/** How a script run by {@link runToExit} ended. */
export interface ScriptExit {
  /** Its exit code (`null` when a signal ended it). */
  code: number | null
  /** What it printed on stdout. */
  stdout: string
  /** What it printed on stderr. */
  stderr: string
}

/**
 * Runs `node <entry>` with `env` added to this process's environment and resolves once it has
 * exited by itself. Past `timeout` ms it is killed (by PID) and the promise rejects with what it
 * printed: something kept its event loop alive (an open connection, a timer). For tests of
 * shutdown: an app that closes must leave nothing behind.
 */
export function runToExit(entry: string, env: Record<string, string>, timeout = 60_000): Promise<ScriptExit> {
  const child = spawn(process.execPath, [entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`${entry} did not exit by itself within ${timeout} ms\n${stdout}\n${stderr}`))
    }, timeout)
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout, stderr })
    })
  })
}
