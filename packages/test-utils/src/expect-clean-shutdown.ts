import { expect } from 'vitest'
import { runToExit } from './run-to-exit.js'

/**
 * Runs `node <entry>` (an app that serves a little, closes and prints `exit-after-close-ms=<ms>`
 * from its `exit` handler) and expects it to exit by itself, cleanly (code 0, nothing on stderr),
 * having printed `stdout`, soon after it closed. A resource left open (a Redis connection) keeps
 * the process alive, and `runToExit` fails after its timeout.
 */
export async function expectCleanShutdown(
  entry: string,
  env: Record<string, string>,
  stdout: string,
): Promise<void> {
  const run = await runToExit(entry, env)
  const output = `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`
  expect([run.code, run.stderr], output).toEqual([0, ''])
  expect(run.stdout, output).toContain(stdout)
  const exitAfter = Number(/exit-after-close-ms=(\d+)/.exec(run.stdout)?.[1])
  // It takes a few ms; the bound leaves room for a busy machine (a leak never exits at all).
  expect(exitAfter, output).toBeLessThan(30_000)
}
