import type { CommandSpec, ParsedArgs } from './args.js'
import type { CliIo } from './cli-io.js'

/** A `cachectl` sub-command. */
export interface Command {
  /** Its command line. */
  spec: CommandSpec
  /** Runs it; resolves to the exit code. Throws `CliError` for a message and an exit code. */
  run(args: ParsedArgs, io: CliIo): Promise<number>
}
