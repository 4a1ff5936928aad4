import { CacheError, errors } from '../errors.js'

/**
 * The layout of the keys and tags a `Cache` writes to its stores, in one place: a full key is
 * `<root>[/<child>...]:<key>` and a store-level tag is `<root>:<tag>`. Namespace segments never
 * contain `:` or `/` (see {@link assertNamespace}), so the first `:` of a key ends its path.
 */

const NAME = /^[A-Za-z0-9_.-]+$/

/** Throws unless `name` is a valid namespace segment (no `:` or `/`, which delimit namespaces). */
export function assertNamespace(name: unknown): asserts name is string {
  // Names starting with '__' are reserved for store internals (`__tag:`, `__kt:`, `__lease:`, `__bus:`).
  if (typeof name !== 'string' || !NAME.test(name) || name.startsWith('__')) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `Invalid namespace ${JSON.stringify(name)}: use letters, digits, '_', '-' or '.', not starting with '__'`,
    )
  }
}

/** The path of the child namespace `name` of `path` (`'app/users'`). `name` is already checked. */
export function childPath(path: string, name: string): string {
  return `${path}/${name}`
}

/** The prefix of every full key of the namespace `path` itself (`'app/users:'`). */
export function keyPrefix(path: string): string {
  return `${path}:`
}

/** The store-key prefixes of a namespace and its children (`'app:'`, `'app/'`), or `['']` for every key. */
export function namespacePrefixes(namespace: string | undefined): string[] {
  if (namespace === undefined || namespace === '') return ['']
  return [keyPrefix(namespace), `${namespace}/`]
}

/**
 * The clear prefixes that reach `key`: its own namespace's (`'app/users:'`) and each ancestor's
 * children prefix (`'app/'`), so `'app/users:42'` gives `['app/users:', 'app/']`. A load of the
 * key watches these for a clear that runs while it loads.
 */
export function prefixesCovering(key: string): string[] {
  const split = splitKey(key)
  if (split === undefined) return []
  const out = [keyPrefix(split.path)]
  for (let i = split.path.indexOf('/'); i >= 0; i = split.path.indexOf('/', i + 1))
    out.push(split.path.slice(0, i + 1))
  return out
}

/** True when `key` belongs to one of `prefixes`. */
export function inPrefixes(key: string, prefixes: readonly string[]): boolean {
  return prefixes.some((p) => key.startsWith(p))
}

/** The namespace path and the key within it; `undefined` for a key no `Cache` wrote. */
export function splitKey(key: string): { path: string; key: string } | undefined {
  const i = key.indexOf(':')
  if (i <= 0) return undefined
  return { path: key.slice(0, i), key: key.slice(i + 1) }
}

/** The root namespace of a full key (`'app'` for `'app/users:42'`), or `undefined`. */
export function rootNamespace(key: string): string | undefined {
  const split = splitKey(key)
  if (split === undefined) return undefined
  const slash = split.path.indexOf('/')
  return slash < 0 ? split.path : split.path.slice(0, slash)
}

/**
 * The store-level name of `tag`: a `Cache` qualifies its tags with its root namespace
 * (`'app:user:42'`), so that apps sharing a store do not collide.
 */
export function qualifyTag(root: string, tag: string): string {
  return `${root}:${tag}`
}

/**
 * The store-level tags of an entry under the full key `key`, qualified as the `Cache` that wrote
 * it did (see {@link qualifyTag}). A key no `Cache` wrote keeps its tags as they are.
 */
export function qualifyTags(key: string, tags: readonly string[]): string[] {
  const root = rootNamespace(key)
  return root === undefined ? [...tags] : tags.map((t) => qualifyTag(root, t))
}

/**
 * The store-level name of the invalidation channel of root namespace `root` (`'__bus:app'`),
 * before the store's own prefix: every cache of that root, in every process, listens there.
 */
export function busChannel(root: string): string {
  return `__bus:${root}`
}

/** True for the keys stores keep for themselves (`__tag:`, `__kt:`, `__lease:`, `__stats:`). */
export function isInternalKey(key: string): boolean {
  // Namespaces may not start with '__', so no cache entry ever does.
  return key.startsWith('__')
}
