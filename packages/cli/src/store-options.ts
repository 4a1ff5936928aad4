import { type OptionSpec, type ParsedArgs, str } from './args.js'
import { usageError } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { type Opened, openRedis, openSpec } from './connect.js'
import type { MissingSqlite } from './sqlite-store.js'

/** `--store SPEC` (any store) besides `--redis URL`. */
export const STORE_OPTION: Record<string, OptionSpec> = {
  store: {
    type: 'string',
    short: 's',
    value: 'SPEC',
    help: 'instead of --redis: sqlite://PATH (a persistent Keyv store)',
  },
}

/** Options that choose which entries move. */
export const FILTER_OPTIONS: Record<string, OptionSpec> = {
  namespace: { type: 'string', short: 'n', value: 'NS', help: 'only this namespace (and its children)' },
  progress: {
    type: 'string',
    value: 'MODE',
    help: 'auto (bar on a terminal), bar, plain or off (default auto)',
  },
}

/**
 * The store of `--store`, else of `--redis` / `$REDIS_URL`. A SQLite file that does not exist is
 * an error unless `missingSqlite` says otherwise.
 */
export async function openStoreOption(
  args: ParsedArgs,
  io: CliIo,
  command: string,
  missingSqlite: MissingSqlite = 'error',
): Promise<Opened> {
  const spec = str(args, 'store')
  if (spec !== undefined) {
    const opened = await openSpec(spec, args, missingSqlite)
    if (opened.kind === 'file')
      throw usageError(`--store must be a store (redis://, sqlite://), not a file: ${spec}`)
    return opened
  }
  const url = str(args, 'redis') ?? io.env.REDIS_URL
  if (url === undefined || url === '') {
    throw usageError(
      `--redis URL or --store SPEC is required (or set REDIS_URL)\nsee: cachectl ${command} --help`,
    )
  }
  return openRedis(url, args)
}
