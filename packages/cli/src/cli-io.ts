import type { Readable, Writable } from 'node:stream'

/** Where a command reads and writes: the process streams, or test doubles. */
export interface CliIo {
  /** Results (what scripts parse). */
  stdout: Writable & { isTTY?: boolean }
  /** Progress, prompts, warnings and errors. */
  stderr: Writable & { isTTY?: boolean; columns?: number }
  /** Answers to prompts. */
  stdin: Readable & { isTTY?: boolean }
  /** Environment (`REDIS_URL`, `CACHECTL_PROGRESS`). */
  env: NodeJS.ProcessEnv
  /**
   * A signal aborted when the user interrupts (Ctrl-C: SIGINT, or SIGTERM). A command that asks
   * for it takes those signals over: it must stop, remove what it started and end with
   * `EXIT.INTERRUPTED`. Commands that never ask keep the default (the process ends at once).
   * @default undefined (never interrupted)
   */
  interrupted?: () => AbortSignal
}

/** How long an interrupted command has to clean up before the process ends anyway, in ms. */
const INTERRUPT_GRACE_MS = 5000

/** The real process streams, and SIGINT/SIGTERM as {@link CliIo.interrupted}. */
export function processIo(): CliIo {
  let controller: AbortController | undefined
  const interrupted = (): AbortSignal => {
    if (controller !== undefined) return controller.signal
    const own = new AbortController()
    controller = own
    const onSignal = (signal: NodeJS.Signals) => {
      if (own.signal.aborted) process.exit(128 + (signal === 'SIGINT' ? 2 : 15)) // a second one: now
      own.abort(new Error(`interrupted (${signal})`))
      // A command that does not finish its clean-up in time must not keep the terminal.
      setTimeout(() => process.exit(128 + 2), INTERRUPT_GRACE_MS).unref()
    }
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
    return own.signal
  }
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    interrupted,
  }
}

/** Writes one line to stdout. */
export function out(io: CliIo, line = ''): void {
  io.stdout.write(`${line}\n`)
}

/** Writes `value` as one line of JSON to stdout (the `--json` result of a command). */
export function outJson(io: CliIo, value: unknown): void {
  out(io, JSON.stringify(value))
}

/** Writes one line to stderr. */
export function err(io: CliIo, line = ''): void {
  io.stderr.write(`${line}\n`)
}
