import { createRequire } from 'node:module'
import { commandHelp, parseCommand } from './args.js'
import { CliError, EXIT } from './cli-error.js'
import { type CliIo, err, out, processIo } from './cli-io.js'
import type { Command } from './command.js'
import { clearCommand } from './commands/clear.js'
import { completionCommand } from './commands/completion.js'
import { exportCommand } from './commands/export.js'
import { importCommand } from './commands/import.js'
import { inspectCommand } from './commands/inspect.js'
import { keysCommand } from './commands/keys.js'
import { prewarmCommand } from './commands/prewarm.js'
import { statsCommand } from './commands/stats.js'
import { syncCommand } from './commands/sync.js'

/** Version of `cachectl`: its package's, read from package.json (next to src/ and dist/ alike). */
export const VERSION: string = createRequire(import.meta.url)('../package.json').version

const COMMANDS: Command[] = [
  statsCommand,
  keysCommand,
  inspectCommand,
  clearCommand,
  exportCommand,
  importCommand,
  syncCommand,
  prewarmCommand,
  completionCommand(() => COMMANDS),
]

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.spec.name.length)) + 2
  return [
    'Usage: cachectl <command> [options]',
    '',
    'Operate caches built with @cache/core: inspect, clear, snapshot, sync and prewarm.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.spec.name.padEnd(width)}${c.spec.summary}`),
    '',
    'Run `cachectl <command> --help` for the options of a command, `cachectl --version` for the version.',
    'Redis commands read $REDIS_URL when --redis is not given.',
    'Exit codes: 0 done, 1 failed or partial, 2 bad command line or missing optional package,',
    '130 interrupted (an export leaves no file).',
    '',
  ].join('\n')
}

/** Runs `cachectl` with `argv` (without `node` and the script); resolves to the exit code. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined) {
    // No command is a usage error: the help goes where errors go, so stdout stays for results.
    io.stderr.write(mainHelp())
    return EXIT.USAGE
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(mainHelp())
    return EXIT.OK
  }
  if (name === '--version' || name === '-v') {
    out(io, VERSION)
    return EXIT.OK
  }
  const command = COMMANDS.find((c) => c.spec.name === name)
  if (command === undefined) {
    err(io, `cachectl: unknown command ${JSON.stringify(name)}\nsee: cachectl --help`)
    return EXIT.USAGE
  }
  try {
    const args = parseCommand(command.spec, rest)
    if (args.values.help) {
      io.stdout.write(commandHelp(command.spec))
      return EXIT.OK
    }
    return await command.run(args, io)
  } catch (error) {
    if (error instanceof CliError) {
      err(io, `cachectl ${name}: ${error.message}`)
      return error.exitCode
    }
    err(io, `cachectl ${name}: ${error instanceof Error ? error.message : String(error)}`)
    return EXIT.FAILED
  }
}
