/**
 * Helpers over the full store keys a `Cache` writes: `<root>[/<child>...]:<key>`. Namespace
 * segments never contain `:` or `/` (see `assertNamespace`), so the first `:` ends the path.
 */

/** The store-key prefixes of a namespace and its children (`'app:'`, `'app/'`), or `['']` for every key. */
export function namespacePrefixes(namespace: string | undefined): string[] {
  if (namespace === undefined || namespace === '') return ['']
  return [`${namespace}:`, `${namespace}/`]
}

/**
 * The clear prefixes that reach `key`: its own namespace's (`'app/users:'`) and each ancestor's
 * children prefix (`'app/'`), so `'app/users:42'` gives `['app/users:', 'app/']`. A load of the
 * key watches these for a clear that runs while it loads.
 */
export function prefixesCovering(key: string): string[] {
  const split = splitKey(key)
  if (split === undefined) return []
  const out = [`${split.path}:`]
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
 * Store-level tag names of an entry: a `Cache` qualifies tags with its root namespace
 * (`cache-core.ts` `qualifyTags`) so that apps sharing a store do not collide. A key no `Cache`
 * wrote keeps its tags as they are.
 */
export function qualifyTags(key: string, tags: readonly string[]): string[] {
  const root = rootNamespace(key)
  return root === undefined ? [...tags] : tags.map((t) => `${root}:${t}`)
}

/** True for the keys stores keep for themselves (`__tag:`, `__kt:`, `__lease:`, `__stats:`). */
export function isInternalKey(key: string): boolean {
  // Namespaces may not start with '__', so no cache entry ever does.
  return key.startsWith('__')
}
