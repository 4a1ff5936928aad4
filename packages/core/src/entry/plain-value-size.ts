import { types } from 'node:util'
import { MAX_DEPTH } from './json-scan.js'

/** Returned by {@link plainValueSize} for a value that is not a plain value. */
export const NOT_PLAIN = -1

/**
 * The size of a plain value, estimated without encoding it: a plain object or array (plain
 * objects and dense arrays, nested at most {@link MAX_DEPTH} deep) of strings, booleans, `null`,
 * finite numbers other than `-0`, and `Buffer` or `Uint8Array` leaves (a stored HTTP response's
 * body). Every such value is one the codec encodes. {@link NOT_PLAIN} for anything else,
 * including every value the codec refuses, so the caller encodes that one to validate it.
 *
 * A value held by reference in memory needs a size, not bytes: this walk costs a fraction of
 * encoding. It is the length of the JSON text the value would have, with its punctuation counted
 * exactly, each string as its UTF-16 length plus quotes (escapes are not counted), each number
 * as 8 (a double's width; the text may be longer or shorter), and each binary leaf as its byte
 * length plus 8. For ASCII text without escapes it is within a few bytes of the encoded length.
 * It still bounds the heap honestly: the memory tier charges a structured value 2.5× this size,
 * and a string's heap is at most 2 bytes per UTF-16 unit (a number's 8, a binary's its bytes).
 */
export function plainValueSize(value: unknown): number {
  if (typeof value !== 'object' || value === null) return NOT_PLAIN
  try {
    return containerSize(value, 0)
  } catch {
    // A getter or Proxy trap threw: the encoder reports it with its path.
    return NOT_PLAIN
  }
}

function size(value: unknown, depth: number): number {
  switch (typeof value) {
    case 'string':
      return value.length + 2
    case 'boolean':
      return 5
    case 'number':
      // `x - x` is NaN for NaN and ±Infinity; `1 / x` tells -0 from 0 (the scan's test).
      return value - value === 0 && (value !== 0 || 1 / value > 0) ? 8 : NOT_PLAIN
    case 'object':
      return value === null ? 4 : containerSize(value, depth)
    default:
      return NOT_PLAIN
  }
}

function containerSize(value: object, depth: number): number {
  // Deeper values (and cycles, which never end) go to the encoder, which refuses them.
  if (depth >= MAX_DEPTH) return NOT_PLAIN
  const proto = Object.getPrototypeOf(value)
  let total = 2
  if (proto === Object.prototype) {
    // for-in, as the scan: inherited enumerable keys (a polluted prototype) count too.
    for (const key in value) {
      const n = size((value as Record<string, unknown>)[key], depth + 1)
      if (n < 0) return NOT_PLAIN
      total += key.length + 4 + n
    }
    return total
  }
  if (proto === Buffer.prototype || proto === Uint8Array.prototype) {
    // Brand check after the prototype match, as the encoder's: `Object.create(Buffer.prototype)` is not one.
    return types.isUint8Array(value) ? value.byteLength + 8 : NOT_PLAIN
  }
  if (proto !== Array.prototype || !Array.isArray(value)) return NOT_PLAIN
  const len = value.length
  for (let i = 0; i < len; i++) {
    const item = value[i]
    // A hole is not JSON (`JSON.stringify` writes it as null).
    if (item === undefined && !(i in value)) return NOT_PLAIN
    const n = size(item, depth + 1)
    if (n < 0) return NOT_PLAIN
    total += n + 1
  }
  return total
}
