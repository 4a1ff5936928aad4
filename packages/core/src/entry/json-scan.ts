import { BINARY_KIND_BY_PROTO } from './value-tags.js'

/**
 * Containers (objects, arrays, Maps, Sets) may nest at most this deep. Encoding refuses deeper
 * values with `ERR_CACHE_UNENCODABLE_VALUE` and decoding refuses inputs claiming deeper nesting
 * with `ERR_CACHE_DECODE`, so neither can overflow the stack.
 */
export const MAX_DEPTH = 512

/** Verdict of {@link scanJson}: the subtree is plain JSON and `JSON.stringify` round-trips it exactly. */
export const JSON_SAFE = 0
/** Verdict of {@link scanJson}: encodable, but not by `JSON.stringify` alone. */
export const NOT_JSON = 1
/** Verdict of {@link scanJson}: will be refused (or is too deep / cyclic); the scan stopped early. */
export const REFUSED = 2

/**
 * Classifies a value for the JSON fast path. It returns {@link JSON_SAFE} when
 * `JSON.parse(JSON.stringify(value))` rebuilds it exactly: only plain objects and dense arrays
 * of strings, booleans, `null` and finite numbers other than `-0`. Lone surrogates are fine,
 * since `JSON.stringify` escapes them as `\udXXX`. Every plain object or array that is not
 * JSON-safe is added to `unsafe` (so the encoder walks it by hand and fast-paths its safe
 * children); the scan goes on past such a container so one pass classifies the whole tree, and
 * stops only at a value the encoder will refuse.
 */
export function scanJson(value: unknown, depth: number, unsafe: Set<object>): number {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON_SAFE
    case 'number':
      // `x - x` is NaN for NaN and ±Infinity; `1 / x` tells -0 from 0.
      return value - value === 0 && (value !== 0 || 1 / value > 0) ? JSON_SAFE : NOT_JSON
    case 'undefined':
    case 'bigint':
      return NOT_JSON
    case 'object':
      if (value === null) return JSON_SAFE
      return depth >= MAX_DEPTH ? REFUSED : scanObject(value, depth + 1, unsafe)
    default:
      return REFUSED
  }
}

function scanObject(value: object, depth: number, unsafe: Set<object>): number {
  const proto = Object.getPrototypeOf(value)
  if (proto === Object.prototype) return scanProps(value, depth, unsafe)
  if (proto === Array.prototype && Array.isArray(value)) return scanArray(value, depth, unsafe)
  if (proto === null) return scanProps(value, depth, unsafe) === REFUSED ? REFUSED : NOT_JSON
  if (proto === Map.prototype) return scanMap(value as Map<unknown, unknown>, depth, unsafe)
  if (proto === Set.prototype) return scanSet(value as Set<unknown>, depth, unsafe)
  if (proto === Date.prototype || proto === RegExp.prototype || BINARY_KIND_BY_PROTO.has(proto))
    return NOT_JSON
  return REFUSED
}

function scanProps(value: object, depth: number, unsafe: Set<object>): number {
  let verdict = JSON_SAFE
  // for-in (V8's enum cache) is ~40% faster than Object.keys here. It also visits inherited
  // enumerable keys (a polluted Object.prototype), which can only make the verdict stricter.
  for (const key in value) {
    const v = scanJson((value as Record<string, unknown>)[key], depth, unsafe)
    if (v === REFUSED) return REFUSED
    verdict |= v
  }
  if (verdict !== JSON_SAFE) unsafe.add(value)
  return verdict
}

function scanArray(value: unknown[], depth: number, unsafe: Set<object>): number {
  let verdict = JSON_SAFE
  const len = value.length
  for (let i = 0; i < len; i++) {
    const item = value[i]
    if (item === undefined && !(i in value)) {
      // A hole: switch to the present indices, so a huge sparse array costs its elements, not its length.
      unsafe.add(value)
      return scanPresent(value, i, depth, unsafe)
    }
    const v = scanJson(item, depth, unsafe)
    if (v === REFUSED) return REFUSED
    verdict |= v
  }
  if (verdict !== JSON_SAFE) unsafe.add(value)
  return verdict
}

function scanPresent(value: unknown[], from: number, depth: number, unsafe: Set<object>): number {
  for (const index of presentIndices(value, from)) {
    if (scanJson(value[index], depth, unsafe) === REFUSED) return REFUSED
  }
  return NOT_JSON
}

function scanMap(value: Map<unknown, unknown>, depth: number, unsafe: Set<object>): number {
  for (const [k, v] of value) {
    if (scanJson(k, depth, unsafe) === REFUSED || scanJson(v, depth, unsafe) === REFUSED) return REFUSED
  }
  return NOT_JSON
}

function scanSet(value: Set<unknown>, depth: number, unsafe: Set<object>): number {
  for (const v of value) {
    if (scanJson(v, depth, unsafe) === REFUSED) return REFUSED
  }
  return NOT_JSON
}

/** Indices `>= from` of the elements an array actually has (ascending), skipping holes. */
export function presentIndices(array: readonly unknown[], from: number): number[] {
  const out: number[] = []
  const len = array.length
  // Own keys list integer indices first, ascending; the first key that is not an index < length ends them.
  for (const key of Object.keys(array)) {
    const index = Number(key)
    if (!(index < len) || String(index) !== key) break
    if (index >= from) out.push(index)
  }
  return out
}
