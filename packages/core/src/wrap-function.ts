import type { Cache } from './cache.js'
import { CacheError, errors } from './errors.js'
import { GET_OR_SET_FLAGS, type GetOrSetOptions } from './get-or-set.js'
import { hashKey } from './keys/index.js'
import { assertKnownOptions, optionKeys } from './known-options.js'

/** Options of `wrap`. */
export interface WrapOptions<A extends unknown[]> extends Omit<GetOrSetOptions, 'tags'> {
  /** Stable name of the memoized function, part of every key. @default fn.name (required when the function is anonymous) */
  name?: string
  /** Derives the key from the arguments; hashed canonically. @default (...args) => args */
  key?: (...args: A) => unknown
  /** Tags of each stored result, for `invalidateTags`: fixed, or from the call's arguments. @default [] */
  tags?: readonly string[] | ((...args: A) => readonly string[])
}

const WRAP_OPTIONS = optionKeys<WrapOptions<unknown[]>>({ ...GET_OR_SET_FLAGS, name: true, key: true })

/**
 * `cache.wrap(fn)`: memoizes `fn` in the namespace `wrap/<name>` of `cache`, keyed by the
 * canonical hash of its arguments (or of `options.key(...args)`), with `getOrSet` semantics.
 */
export function wrapFunction<A extends unknown[], R>(
  cache: Cache,
  fn: (...args: A) => R | Promise<R>,
  options: WrapOptions<A>,
): (...args: A) => Promise<R> {
  if (typeof fn !== 'function')
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'wrap expects a function')
  assertKnownOptions(options, WRAP_OPTIONS, 'wrap options')
  const name = options.name ?? fn.name
  if (!name) {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'wrap needs options.name for an anonymous function')
  }
  const keyOf = options.key ?? ((...args: A) => args)
  const ns = cache.namespace('wrap').namespace(name.replace(/[^A-Za-z0-9_.-]/g, '_'))
  const { name: _n, key: _k, tags, ...rest } = options
  if (typeof tags !== 'function') {
    const fixed: GetOrSetOptions = tags === undefined ? rest : { ...rest, tags }
    return (...args: A) => ns.getOrSet<R>(hashKey(keyOf(...args)), () => fn(...args), fixed)
  }
  return (...args: A) =>
    ns.getOrSet<R>(hashKey(keyOf(...args)), () => fn(...args), { ...rest, tags: tags(...args) })
}
