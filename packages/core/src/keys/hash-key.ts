import { hash } from 'node:crypto'
import { withCanonicalBytes } from './canonical-encode.js'

const sha256Hex = (bytes: Buffer): string => hash('sha256', bytes, 'hex')

/**
 * Hashes structured input (a request body, function arguments) into a cache key: the SHA-256 hex
 * digest of its {@link canonicalEncode | canonical encoding}. Property order does not matter, types
 * stay distinct (`1` ≠ `'1'`, `[]` ≠ `{}`, `null` ≠ `undefined` ≠ a missing property), and the
 * digest is stable across processes, machines and Node versions.
 *
 * Choices: `-0` hashes as `0`; `{ a: undefined }` differs from `{}`; Map and Set are hashed
 * independently of insertion order; Buffer and Uint8Array with the same bytes hash the same;
 * symbol-keyed properties are ignored (as by `JSON.stringify`); class instances other than Date,
 * Uint8Array, Map and Set are refused; strings are not Unicode-normalized (`'\u00e9'` ≠ `'e\u0301'`).
 *
 * @example
 * ```ts
 * import { hashKey } from '@cache/core'
 *
 * hashKey({ model: 'm1', input: [1, 2] }) === hashKey({ input: [1, 2], model: 'm1' }) // true
 * hashKey({ id: 1 }) === hashKey({ id: '1' }) // false
 * hashKey({ n: Number.NaN }) // throws CacheError ERR_CACHE_INVALID_KEY_INPUT: "Invalid key input: NaN at $.n"
 * ```
 *
 * @returns 64 lowercase hex characters.
 * @throws {CacheError} `ERR_CACHE_INVALID_KEY_INPUT` on `NaN`, `±Infinity`, functions, symbol values,
 * class instances, cycles or nesting deeper than `MAX_KEY_DEPTH`; the message gives the path.
 */
export function hashKey(input: unknown): string {
  return withCanonicalBytes(input, sha256Hex)
}
