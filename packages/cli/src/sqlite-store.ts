import { stat } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { CacheStore } from '@cache/core'
import { CliError, usageError } from './cli-error.js'
import { isDirectory } from './is-directory.js'

/** A SQLite file through Keyv, as a persistent local store. */
export interface OpenedSqlite {
  kind: 'sqlite'
  store: CacheStore
  label: string
  close(): Promise<void>
}

/** How {@link openSqlite} treats a database file that does not exist yet. */
export type MissingSqlite =
  /** An error: a mistyped path must not read as an empty store. */
  | 'error'
  /** The file is created (an import into a new database). */
  | 'create'
  /** An empty in-memory database stands in for it, and nothing is created (a dry run). */
  | 'empty'

/**
 * Opens `sqlite://PATH` (PATH as `@keyv/sqlite` reads it: what follows `sqlite://`) as a
 * persistent store through Keyv. SQLite creates any file it is asked to open, so the file is
 * checked first: a missing one is an error unless `missing` says otherwise.
 */
export async function openSqlite(spec: string, missing: MissingSqlite = 'error'): Promise<OpenedSqlite> {
  const path = spec.replace(/^sqlite:\/\//i, '')
  const [{ Keyv }, { KeyvSqlite }, { KeyvStore }] = await Promise.all([
    import('keyv'),
    loadKeyvSqlite(),
    import('@cache/core/keyv'),
  ])
  let file = path
  const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw new CliError(`cannot open ${spec}: ${error.message}`)
  })
  if (found?.isDirectory()) throw new CliError(`cannot open ${spec}: ${path} is a directory`)
  if (found === undefined) {
    if (missing === 'error') {
      throw new CliError(`no SQLite database at ${path}: check the path (only import creates a new database)`)
    }
    if (missing === 'empty') file = ':memory:'
    else if (!(await isDirectory(dirname(path)))) {
      throw new CliError(`cannot create ${path}: directory ${dirname(path)} does not exist`)
    }
  }
  // KeyvStore turns on Keyv's throwOnErrors: without it a file that cannot be opened (or is not
  // a database) would read as empty instead of failing.
  const store = new KeyvStore(new Keyv({ store: new KeyvSqlite(`sqlite://${file}`) }), { persistent: true })
  try {
    // Opens the file now, so a bad file fails here with its own message rather than mid-sync.
    await store.get('__cachectl_probe')
  } catch (error) {
    await store.close().catch(() => {})
    throw new CliError(`cannot open ${spec}: ${(error as Error).message}`)
  }
  return { kind: 'sqlite', store, label: spec, close: () => store.close() }
}

/** The npm package behind `sqlite://`: an optional peer of `@cache/cli` (a native SQLite build). */
export const SQLITE_PACKAGE = '@keyv/sqlite'

/**
 * Loads `@keyv/sqlite` on first use, so users who only talk to Redis never install it. Missing or
 * unloadable, it is an environment error (exit 2) that names the package to install.
 */
async function loadKeyvSqlite(): Promise<typeof import('@keyv/sqlite')> {
  try {
    return await import('@keyv/sqlite')
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    if (e.code === 'ERR_MODULE_NOT_FOUND' && e.message.includes(`'${SQLITE_PACKAGE}'`)) {
      throw usageError(
        `sqlite:// stores need the optional package ${SQLITE_PACKAGE}: install it next to @cache/cli ` +
          `(npm install ${SQLITE_PACKAGE})`,
      )
    }
    // Installed but broken, typically its native sqlite3 build for another Node version.
    throw usageError(`cannot load ${SQLITE_PACKAGE} for sqlite:// stores: ${e.message}`)
  }
}
