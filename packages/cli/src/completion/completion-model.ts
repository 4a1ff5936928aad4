import { COMMON_OPTIONS, type CommandSpec, type OptionSpec } from '../args.js'

/** One option as a completion script offers it. */
export interface CompletedOption {
  /** Long name without dashes, e.g. `out`. */
  name: string
  spec: OptionSpec
}

/** The options a command's completion offers: its own, then the common ones (`--help`). */
export function completedOptions(spec: CommandSpec): CompletedOption[] {
  return Object.entries({ ...spec.options, ...COMMON_OPTIONS }).map(([name, o]) => ({ name, spec: o }))
}

/** What the value of an option completes to: files, one of its choices, or nothing. */
export function valueCompletion(o: OptionSpec): { files: true } | { words: readonly string[] } | undefined {
  if (o.type !== 'string') return undefined
  if (o.complete === 'file') return { files: true }
  if (o.choices !== undefined) return { words: o.choices }
  return undefined
}
