import type { CommandSpec } from '../args.js'
import { usageError } from '../cli-error.js'
import type { Command } from '../command.js'
import { bashCompletion } from '../completion/bash-completion.js'
import { zshCompletion } from '../completion/zsh-completion.js'

/** Flags `cachectl` takes without a command. */
export const GLOBAL_FLAGS = ['--help', '--version'] as const

/**
 * `cachectl completion bash|zsh`: prints a shell completion script for `commands` (given
 * lazily: the list includes this command).
 */
export function completionCommand(commands: () => readonly Command[]): Command {
  const spec: CommandSpec = {
    name: 'completion',
    summary: 'Print a shell completion script (bash or zsh).',
    usage: 'bash|zsh',
    details:
      'bash, in ~/.bashrc:  source <(cachectl completion bash)\n' +
      'zsh, in ~/.zshrc after compinit:  source <(cachectl completion zsh)\n' +
      '  (or save it as _cachectl in a directory of $fpath)',
    positionals: 1,
    argumentChoices: ['bash', 'zsh'],
    options: {},
  }
  return {
    spec,
    async run(args, io) {
      const shell = args.positionals[0]
      if (shell === undefined)
        throw usageError('name the shell: bash or zsh\nsee: cachectl completion --help')
      const specs = commands().map((c) => c.spec)
      io.stdout.write(
        shell === 'bash' ? bashCompletion(specs, GLOBAL_FLAGS) : zshCompletion(specs, GLOBAL_FLAGS),
      )
      return 0
    },
  }
}
