import type { CacheError } from '../errors.js'
import { unencodableError } from './codec-errors.js'

/**
 * Internal signal of a refused value. Thrown at the refused value; each container it unwinds
 * through prepends its path segment, so the path is built only on failure, never on success.
 */
export class EncodeFailure {
  /** Path segments, innermost first. */
  readonly segments: string[] = []

  constructor(
    /** What was refused, e.g. `'a function'`. */
    readonly what: string,
    /** Underlying error, for failures that come from an exception (a throwing getter). */
    readonly cause?: unknown,
  ) {}

  /** The public error, with the path from the root value (`$`). */
  toCacheError(root = '$'): CacheError {
    return unencodableError(root + this.segments.reverse().join(''), this.what, this.cause)
  }
}

/** Adds `segment` to a failure unwinding through a container; wraps any other exception as a failure. */
export function atSegment(error: unknown, segment: string): EncodeFailure {
  const failure =
    error instanceof EncodeFailure
      ? error
      : new EncodeFailure(
          `a value whose encoding threw (${error instanceof Error ? error.message : String(error)})`,
          error,
        )
  failure.segments.push(segment)
  return failure
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

/** Path segment of an object property: `.name` or `["odd key"]`. */
export function propSegment(key: string): string {
  return IDENTIFIER.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`
}

/** Path segment of a Map entry's value: `.get("key")` for primitive keys, else by entry position. */
export function mapValueSegment(key: unknown, position: number): string {
  if (typeof key === 'string') return `.get(${JSON.stringify(key)})`
  if (typeof key === 'number' || typeof key === 'boolean' || key === null || key === undefined) {
    return `.get(${String(key)})`
  }
  if (typeof key === 'bigint') return `.get(${key}n)`
  return `.values()[${position}]`
}

/** Describes a value the codec refuses, for the error message. */
export function describeRefused(value: unknown): string {
  if (typeof value === 'function') return value.name ? `a function (${value.name})` : 'a function'
  if (typeof value === 'symbol') return `a symbol (${String(value)})`
  let ctor: unknown
  try {
    ctor = (Object.getPrototypeOf(value) as { constructor?: unknown } | null)?.constructor
  } catch {
    // A revoked Proxy throws on every trap; its description is then generic.
  }
  const name = typeof ctor === 'function' ? ctor.name : ''
  if (!name || ctor === Object) return 'an object with a non-standard prototype'
  // A global constructor is a built-in the codec does not support (WeakMap, Promise, Error...).
  if ((globalThis as Record<string, unknown>)[name] === ctor) return `a ${name} (unsupported built-in)`
  return `an instance of class ${name} (only plain objects and supported built-ins are encodable)`
}
