/** Exit codes of `cachectl`. */
export const EXIT = {
  /** Done. */
  OK: 0,
  /** The operation failed or was partial: unreachable server, failed lines, refused confirmation. */
  FAILED: 1,
  /**
   * The command cannot run as given: the command line is wrong (unknown option, bad URL, missing
   * argument) or the environment lacks what it needs (an optional package to install).
   */
  USAGE: 2,
  /** Interrupted (Ctrl-C or SIGTERM) and cleaned up: no partial file left (128 + SIGINT, as shells report it). */
  INTERRUPTED: 130,
} as const

/** An error that ends the command with a message (no stack) and an exit code. */
export class CliError extends Error {
  /** Process exit code. */
  readonly exitCode: number

  constructor(message: string, exitCode: number = EXIT.FAILED) {
    super(message)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}

/** A usage error (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, EXIT.USAGE)
}
