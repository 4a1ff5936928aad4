import { ApiError, invalidInput } from './api-error.js'

/** Deepest nesting a body may have (objects and arrays). Legit bodies stay far below it. */
export const MAX_JSON_DEPTH = 32

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Decodes and parses a JSON request body, refusing with a 400 `invalid_input` what `JSON.parse`
 * lets through:
 * - invalid UTF-8 (a lenient decoder would turn it into U+FFFD and hash a different text);
 * - non-finite numbers, `1e400` parses to `Infinity`, and the bare `NaN` / `Infinity` literals
 *   some serializers write (`invalid_input` rather than `malformed_json`: the syntax is fine,
 *   the value is not);
 * - `__proto__` keys and `constructor.prototype` (prototype pollution);
 * - nesting deeper than {@link MAX_JSON_DEPTH}.
 * Anything else that does not parse is a 400 `malformed_json`.
 */
export function parseJsonBody(body: Buffer): unknown {
  let text: string
  try {
    text = utf8.decode(body)
  } catch {
    throw invalidInput('the body is not valid UTF-8')
  }
  if (text.trim() === '') throw new ApiError('malformed_json', 'the body is empty')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    if (parsesWithNonFiniteLiterals(text)) {
      throw invalidInput('numbers must be finite: NaN and Infinity are not accepted')
    }
    throw new ApiError('malformed_json', `the body is not valid JSON: ${(error as Error).message}`)
  }
  inspectJson(value)
  return value
}

/**
 * Walks a parsed value iteratively (no recursion, so no stack overflow) and throws a 400 on a
 * non-finite number, a forbidden key or too deep a nesting. The message gives the JSON path.
 */
export function inspectJson(root: unknown, maxDepth = MAX_JSON_DEPTH): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '$', depth: 0 }]
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw invalidInput(`${path}: numbers must be finite (got ${value})`)
      continue
    }
    if (value === null || typeof value !== 'object') continue
    if (depth >= maxDepth) throw invalidInput(`${path}: nested deeper than ${maxDepth} levels`)
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++)
        stack.push({ value: value[i], path: `${path}[${i}]`, depth: depth + 1 })
      continue
    }
    for (const key of Object.keys(value)) {
      if (key === '__proto__') throw invalidInput(`${path}: the key "__proto__" is not accepted`)
      const child = (value as Record<string, unknown>)[key]
      if (key === 'constructor' && child !== null && typeof child === 'object' && 'prototype' in child) {
        throw invalidInput(`${path}: the key "constructor.prototype" is not accepted`)
      }
      stack.push({ value: child, path: `${path}.${key}`, depth: depth + 1 })
    }
  }
}

const LITERALS = ['NaN', 'Infinity'] as const

/**
 * True when `text` parses once its bare `NaN` and `Infinity` tokens (outside strings) are replaced
 * by `0` (`-Infinity` becomes `-0`): the client sent non-finite numbers, not garbage.
 */
function parsesWithNonFiniteLiterals(text: string): boolean {
  let out = ''
  let found = false
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (inString) {
      out += c
      if (c === '\\') out += text[++i] ?? ''
      else if (c === '"') inString = false
      continue
    }
    if (c === '"') {
      inString = true
      out += c
      continue
    }
    const literal = LITERALS.find(
      (l) => text.startsWith(l, i) && !/[A-Za-z0-9_]/.test(text[i + l.length] ?? ''),
    )
    if (literal !== undefined) {
      out += '0'
      i += literal.length - 1
      found = true
      continue
    }
    out += c
  }
  if (!found) return false
  try {
    JSON.parse(out)
    return true
  } catch {
    return false
  }
}
