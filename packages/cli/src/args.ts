import { parseArgs } from 'node:util'
import { usageError } from './cli-error.js'

/** One option of a command, as `node:util` `parseArgs` takes it, plus its help text. */
export interface OptionSpec {
  /** `string` takes a value, `boolean` is a flag. */
  type: 'string' | 'boolean'
  /** One-letter alias. */
  short?: string
  /** May be given several times. */
  multiple?: boolean
  /** Placeholder shown in help, e.g. `URL`. */
  value?: string
  /** Help text. */
  help: string
  /** The only values accepted; any other is a usage error before the command does anything. */
  choices?: readonly string[]
  /** The value must be an integer at least this large (checked before the command does anything). */
  min?: number
  /** The value is a path: shell completion offers files. @default undefined (nothing offered) */
  complete?: 'file'
}

/** What a command declares about its command line. */
export interface CommandSpec {
  /** Name, e.g. `stats`. */
  name: string
  /** One-line summary for `cachectl --help`. */
  summary: string
  /** Usage line after `cachectl <name>`, e.g. `--redis URL [--namespace NS]`. */
  usage: string
  /** Longer description, examples. */
  details?: string
  /** Options besides the common ones. */
  options: Record<string, OptionSpec>
  /** Number of positional arguments accepted. @default 0 */
  positionals?: number
  /** The values the positional argument takes, for checks and shell completion. @default undefined (any) */
  argumentChoices?: readonly string[]
}

/** Options every command takes. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', help: 'show this help' },
}

/** `--json`: the result as one JSON document on stdout, for scripts. */
export const JSON_OPTION: Record<string, OptionSpec> = {
  json: { type: 'boolean', help: 'print the result as one JSON document' },
}

/** Options of the commands that talk to Redis. */
export const REDIS_OPTIONS: Record<string, OptionSpec> = {
  redis: { type: 'string', value: 'URL', help: 'Redis URL, redis:// or rediss:// (default: $REDIS_URL)' },
  prefix: {
    type: 'string',
    value: 'P',
    help: "key prefix of the RedisStore (its keyPrefix option; default '')",
  },
  'connect-timeout': {
    type: 'string',
    value: 'MS',
    min: 1,
    help: 'give up connecting after this long (default 2000)',
  },
}

/** The `--namespace NS` (`-n`) option, with a help text saying what it limits. */
export function namespaceOption(help: string): OptionSpec {
  return { type: 'string', short: 'n', value: 'NS', help }
}

/** Parsed command line: option values by name and the positionals. */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>
  positionals: string[]
}

/** Parses `argv` against `spec`; an unknown option or a missing value is a usage error (exit 2). */
export function parseCommand(spec: CommandSpec, argv: string[]): ParsedArgs {
  const all = { ...spec.options, ...COMMON_OPTIONS }
  const options = Object.fromEntries(
    Object.entries(all).map(([name, o]) => [
      name,
      { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) },
    ]),
  )
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true })
  } catch (error) {
    throw usageError(
      `${(error as Error).message.replace(/\. To specify.*$/s, '')}\nsee: cachectl ${spec.name} --help`,
    )
  }
  if (!parsed.values.help) checkValues(spec, parsed.values as ParsedArgs['values'])
  const max = spec.positionals ?? 0
  if (!parsed.values.help && parsed.positionals.length > max) {
    throw usageError(
      `unexpected argument ${JSON.stringify(parsed.positionals[max])}\nsee: cachectl ${spec.name} --help`,
    )
  }
  const arg = parsed.positionals[0]
  if (
    !parsed.values.help &&
    arg !== undefined &&
    spec.argumentChoices &&
    !spec.argumentChoices.includes(arg)
  ) {
    throw usageError(
      `expected ${spec.argumentChoices.join(' or ')}, got ${JSON.stringify(arg)}\nsee: cachectl ${spec.name} --help`,
    )
  }
  return { values: parsed.values as ParsedArgs['values'], positionals: parsed.positionals }
}

/**
 * Checks values against their option's `choices` and `min`, so a wrong value is a usage error
 * (exit 2) before anything is read, written or connected to.
 */
function checkValues(spec: CommandSpec, values: ParsedArgs['values']): void {
  for (const [name, o] of Object.entries(spec.options)) {
    const given = values[name]
    for (const v of Array.isArray(given) ? given : typeof given === 'string' ? [given] : []) {
      if (o.choices !== undefined && !o.choices.includes(v)) {
        throw usageError(`--${name} must be one of ${o.choices.join(', ')}; got ${JSON.stringify(v)}`)
      }
      if (o.min !== undefined && !(Number.isInteger(Number(v)) && v.trim() !== '' && Number(v) >= o.min)) {
        throw usageError(`--${name} must be an integer >= ${o.min}, got ${JSON.stringify(v)}`)
      }
    }
  }
}

/** The `--help` text of a command. */
export function commandHelp(spec: CommandSpec): string {
  const all = { ...spec.options, ...COMMON_OPTIONS }
  const rows = Object.entries(all).map(([name, o]) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.value ? ` ${o.value}` : ''}`
    return [flag, o.help + (o.multiple ? ' (repeatable)' : '')] as const
  })
  const width = Math.max(...rows.map(([f]) => f.length)) + 2
  const lines = [
    `Usage: cachectl ${spec.name} ${spec.usage}`,
    '',
    spec.summary,
    ...(spec.details ? ['', spec.details] : []),
    '',
    'Options:',
    ...rows.map(([f, h]) => `  ${f.padEnd(width)}${h}`),
  ]
  return `${lines.join('\n')}\n`
}

/** The string value of an option, if given. */
export function str(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name]
  return typeof v === 'string' ? v : undefined
}

/** All values of a repeatable option. */
export function list(args: ParsedArgs, name: string): string[] {
  const v = args.values[name]
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : []
}

/** A positive integer option, or `fallback`; anything else is a usage error. */
export function int(args: ParsedArgs, name: string, fallback: number, min = 1): number {
  const v = str(args, name)
  if (v === undefined) return fallback
  const n = Number(v)
  if (!Number.isInteger(n) || n < min)
    throw usageError(`--${name} must be an integer >= ${min}, got ${JSON.stringify(v)}`)
  return n
}

/** The value of a required option; its absence is a usage error. */
export function required(args: ParsedArgs, name: string, spec: CommandSpec): string {
  const v = str(args, name)
  if (v === undefined || v === '')
    throw usageError(`--${name} is required\nsee: cachectl ${spec.name} --help`)
  return v
}
