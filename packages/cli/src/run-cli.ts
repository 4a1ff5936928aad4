import { execFile } from 'node:child_process'
import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'

/** Path of the `cachectl` launcher (it loads the built dist/, so tests run what users run). */
export const CACHECTL = fileURLToPath(new URL('../bin/cachectl.js', import.meta.url))

/** What a `cachectl` child process did. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Where {@link runCli} runs `cachectl`. */
export interface RunCliOptions {
  /** Working directory of the child process. @default the test process's */
  cwd?: string
  /** The launcher to run. @default {@link CACHECTL} */
  bin?: string
}

/**
 * Test helper: runs `cachectl` as a child process with pipes (so no TTY: no progress bar, no
 * prompt) and resolves with its exit code and output.
 */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  options: RunCliOptions = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const { CACHECTL_PROGRESS: _p, REDIS_URL: _r, ...base } = process.env
    execFile(
      process.execPath,
      [options.bin ?? CACHECTL, ...args],
      { env: { ...base, ...env }, timeout: 60_000, ...(options.cwd ? { cwd: options.cwd } : {}) },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1
        resolve({ code, stdout, stderr })
      },
    )
  })
}

/** True when `text` holds what only a terminal display uses: carriage returns or escape sequences. */
export function hasTerminalControls(text: string): boolean {
  return text.includes('\r') || text.includes('\u001b')
}

/**
 * Test helper: runs `cachectl`'s `main` in this process, with pipes for streams (no TTY) and an
 * environment of `env` only. Faster than {@link runCli}, for what needs no process of its own.
 */
export async function runMain(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const { main } = await import('./cachectl.js')
  const collect = () => {
    const stream = new PassThrough()
    let text = ''
    stream.on('data', (chunk) => {
      text += chunk
    })
    return { stream, text: () => text }
  }
  const stdout = collect()
  const stderr = collect()
  const code = await main(args, {
    stdout: stdout.stream,
    stderr: stderr.stream,
    stdin: new PassThrough(),
    env,
  })
  return { code, stdout: stdout.text(), stderr: stderr.text() }
}
