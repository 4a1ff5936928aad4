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
}

/** The real process streams. */
export function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env }
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
