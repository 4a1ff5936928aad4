import { type OptionSpec, type ParsedArgs, str } from './args.js'
import { usageError } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { checkRedisUrl, type Opened, openSpec, storeKind } from './connect.js'
import { PROGRESS_OPTION } from './progress.js'
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
  progress: PROGRESS_OPTION,
}

/**
 * The store spec of `--store`, else the URL of `--redis` / `$REDIS_URL`, checked for syntax only:
 * a missing or malformed one is a usage error before anything is read or opened.
 */
export function storeOption(args: ParsedArgs, io: CliIo, command: string): string {
  const spec = str(args, 'store')
  if (spec !== undefined) {
    if (storeKind(spec) === 'file')
      throw usageError(`--store must be a store (redis://, sqlite://), not a file: ${spec}`)
    return spec
  }
  const url = str(args, 'redis') ?? io.env.REDIS_URL
  if (url === undefined || url === '') {
    throw usageError(
      `--redis URL or --store SPEC is required (or set REDIS_URL)\nsee: cachectl ${command} --help`,
    )
  }
  checkRedisUrl(url)
  return url
}

/**
 * Opens the store of {@link storeOption}. A SQLite file that does not exist is an error unless
 * `missingSqlite` says otherwise.
 */
export async function openStoreOption(
  args: ParsedArgs,
  io: CliIo,
  command: string,
  missingSqlite: MissingSqlite = 'error',
): Promise<Exclude<Opened, { kind: 'file' }>> {
  const opened = await openSpec(storeOption(args, io, command), args, missingSqlite)
  if (opened.kind === 'file') throw new Error('unreachable: storeOption refuses files')
  return opened
}
