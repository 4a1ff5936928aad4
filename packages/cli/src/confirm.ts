import { createInterface } from 'node:readline/promises'
import { CliError } from './cli-error.js'
import type { CliIo } from './cli-io.js'

/**
 * Asks `question [y/N]` on the terminal. Without `--yes` and without a terminal to ask on
 * (a pipe, CI), refuses: a destructive command never runs unconfirmed.
 */
export async function confirm(io: CliIo, question: string, yes: boolean): Promise<void> {
  if (yes) return
  if (!io.stdin.isTTY) {
    throw new CliError(
      'refusing to delete without confirmation: stdin is not a terminal; pass --yes to confirm',
    )
  }
  const rl = createInterface({ input: io.stdin, output: io.stderr })
  try {
    const answer = (await rl.question(`${question} [y/N] `)).trim().toLowerCase()
    if (answer !== 'y' && answer !== 'yes') throw new CliError('cancelled: nothing was deleted')
  } finally {
    rl.close()
  }
}
