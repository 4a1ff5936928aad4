import { createRequire } from 'node:module'
import { CacheError, errors } from './errors.js'

// Resolves from this file, so a peer installed next to @cache/core (any package manager) is found.
// The CJS build gets `import.meta.url` from tsup's shim (see tsup.config.ts).
const load = createRequire(import.meta.url)

/**
 * Loads the optional peer dependency `name` that the entry point `entry` needs, synchronously
 * (the ESM and CJS builds both run it at load time, before any export is used). A peer that is
 * not installed throws `ERR_CACHE_MISSING_PEER` naming the package to install, instead of the
 * bare `MODULE_NOT_FOUND` (or, for a static ESM import, a link error) a user cannot act on. A
 * peer that is installed but fails to load throws its own error.
 *
 * @param name - the package, e.g. `'ioredis'`.
 * @param entry - what needs it, for the message, e.g. `'@cache/core/redis'`.
 * @throws {CacheError} `ERR_CACHE_MISSING_PEER` when `name` cannot be resolved.
 */
export function requirePeer<T>(name: string, entry: string): T {
  assertPeer(name, entry)
  return load(name) as T
}

/**
 * Throws `ERR_CACHE_MISSING_PEER` unless the optional peer `name` is installed, without loading
 * it: for an entry point that only handles instances the application made with it.
 *
 * @throws {CacheError} `ERR_CACHE_MISSING_PEER` when `name` cannot be resolved.
 */
export function assertPeer(name: string, entry: string): void {
  try {
    load.resolve(name)
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException)?.code !== 'MODULE_NOT_FOUND') throw cause
    throw new CacheError(
      errors.ERR_CACHE_MISSING_PEER,
      `${entry} needs the optional peer dependency "${name}", which is not installed: npm install ${name}`,
      { cause },
    )
  }
}
