import { ByteWriter } from '../bytes/byte-writer.js'
import { CacheError, errors } from '../errors.js'

/**
 * Deepest nesting of arrays, objects, Maps and Sets that the canonical encoding accepts; the root
 * container is depth 1. Deeper input is refused with `ERR_CACHE_INVALID_KEY_INPUT`.
 */
export const MAX_KEY_DEPTH = 256

/** First byte of every encoding. Bump it whenever the bytes for some input change. */
export const CANONICAL_FORMAT_VERSION = 1

// One-byte type tags. Values are part of the pinned format: never renumber.
const T_UNDEFINED = 0x00
const T_NULL = 0x01
const T_FALSE = 0x02
const T_TRUE = 0x03
const T_NUMBER = 0x04
const T_BIGINT = 0x05
const T_STRING = 0x06
const T_STRING_UTF16 = 0x07
const T_BYTES = 0x08
const T_DATE = 0x09
const T_ARRAY = 0x0a
const T_OBJECT = 0x0b
const T_MAP = 0x0c
const T_SET = 0x0d

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const PATH_HEAD = 8

/** An open container of the explicit walk stack. Frames are pooled by depth and reused. */
class Frame {
  tag = 0
  /** The container, for cycle detection and error paths. */
  value: object | undefined = undefined
  /** Sorted own keys of a plain object. */
  keys: string[] | undefined = undefined
  /** Set elements, or Map entries flattened as `[k0, v0, k1, v1, ...]`. */
  items: unknown[] | undefined = undefined
  /** Index of the next child (of the next item for Map/Set). */
  i = 0
  /** Number of children (of items for Map/Set). */
  n = 0
  /** Map/Set: the writer to restore when the container closes. */
  out: ByteWriter | undefined = undefined
  /** Map/Set: where entries are encoded before being sorted; kept with the pooled frame. */
  entries: ByteWriter | undefined = undefined
  /** Map/Set: start offset of each entry in `entries`. */
  starts: number[] = []
}

class Encoder {
  busy = false
  readonly #root = new ByteWriter(1024)
  #w = this.#root
  readonly #frames: Frame[] = []
  #depth = 0

  /** Encodes `input`; the result is a view into this encoder, valid until its next use. */
  encode(input: unknown): Buffer {
    this.#w = this.#root
    this.#root.reset()
    this.#root.u8(CANONICAL_FORMAT_VERSION)
    let value = input
    for (;;) {
      this.#value(value)
      for (;;) {
        if (this.#depth === 0) return this.#root.view()
        const f = this.#frames[this.#depth - 1]!
        if (f.i < f.n) {
          value = this.#next(f)
          break
        }
        this.#close(f)
      }
    }
  }

  /** Drops references to the input (also after a throw) and oversized buffers. */
  release(): void {
    while (this.#depth > 0) this.#clear(this.#frames[--this.#depth]!)
    // One huge body must not pin a huge scratch buffer for the life of the process.
    if (this.#root.buf.length > 65_536) this.#root.buf = Buffer.allocUnsafe(1024)
  }

  #value(v: unknown): void {
    const w = this.#w
    switch (typeof v) {
      case 'string':
        w.string(v, T_STRING, T_STRING_UTF16)
        break
      case 'number':
        if (!Number.isFinite(v)) this.#fail(String(v))
        // -0 folds into 0: JSON bodies cannot tell them apart, so neither do keys.
        w.tagF64(T_NUMBER, v === 0 ? 0 : v)
        break
      case 'boolean':
        w.u8(v ? T_TRUE : T_FALSE)
        break
      case 'undefined':
        w.u8(T_UNDEFINED)
        break
      case 'bigint':
        w.string(v.toString(), T_BIGINT, T_BIGINT)
        break
      case 'object':
        if (v === null) w.u8(T_NULL)
        else this.#object(v)
        break
      default:
        this.#fail(`a ${typeof v}`)
    }
  }

  #object(v: object): void {
    const w = this.#w
    if (Array.isArray(v)) {
      this.#open(v, T_ARRAY, v.length)
      w.tagU32(T_ARRAY, v.length)
      return
    }
    const proto = Object.getPrototypeOf(v)
    if (proto === Object.prototype || proto === null) {
      // Symbol keys are skipped, as by JSON.stringify: looking for them would cost every object
      // on the hot path, and JSON bodies cannot hold them.
      const keys = sortKeys(Object.keys(v))
      this.#open(v, T_OBJECT, keys.length).keys = keys
      w.tagU32(T_OBJECT, keys.length)
    } else if (v instanceof Uint8Array) {
      w.tagBytes(T_BYTES, v)
    } else if (v instanceof Date) {
      const t = v.getTime()
      if (Number.isNaN(t)) this.#fail('an invalid Date')
      w.tagF64(T_DATE, t)
    } else if (v instanceof Map || v instanceof Set) {
      const isMap = v instanceof Map
      const items: unknown[] = []
      if (isMap) for (const [k, x] of v) items.push(k, x)
      else for (const x of v) items.push(x)
      const tag = isMap ? T_MAP : T_SET
      const f = this.#open(v, tag, items.length)
      f.items = items
      w.tagU32(tag, v.size)
      // Entries go to a side buffer first: they can only be ordered once encoded.
      f.out = w
      f.entries ??= new ByteWriter(256)
      f.entries.reset()
      f.starts.length = 0
      this.#w = f.entries
    } else {
      const name = (proto as { constructor?: { name?: unknown } }).constructor?.name
      const what =
        typeof name === 'string' && name && name !== 'Object'
          ? `an instance of ${name}`
          : 'an object with a custom prototype'
      this.#fail(what, ' (accepted: plain objects, arrays, Map, Set, Date, Uint8Array)')
    }
  }

  #open(v: object, tag: number, n: number): Frame {
    if (this.#depth >= MAX_KEY_DEPTH) this.#fail(`nesting deeper than MAX_KEY_DEPTH (${MAX_KEY_DEPTH})`)
    // Only ancestors count: the same object twice in a DAG is fine, inside itself is a cycle.
    for (let d = 0; d < this.#depth; d++) if (this.#frames[d]!.value === v) this.#fail('a cycle')
    let f = this.#frames[this.#depth]
    if (f === undefined) this.#frames.push((f = new Frame()))
    f.tag = tag
    f.value = v
    f.i = 0
    f.n = n
    this.#depth++
    return f
  }

  #next(f: Frame): unknown {
    const i = f.i++
    if (f.tag === T_ARRAY) {
      // A hole reads as undefined; `a[i]` alone would walk the prototype chain to find it.
      const a = f.value as unknown[]
      return Object.hasOwn(a, i) ? a[i] : undefined
    }
    if (f.tag === T_OBJECT) {
      const key = f.keys![i]!
      this.#w.string(key, T_STRING, T_STRING_UTF16)
      return (f.value as Record<string, unknown>)[key]
    }
    if (f.tag === T_SET || (i & 1) === 0) f.starts.push(this.#w.pos)
    return f.items![i]
  }

  #close(f: Frame): void {
    this.#depth--
    if (f.tag === T_MAP || f.tag === T_SET) {
      const entries = this.#w
      const buf = entries.buf
      const starts = f.starts
      starts.push(entries.pos)
      const order = Array.from({ length: starts.length - 1 }, (_, k) => k)
      // Encodings are prefix-free, so byte order of whole entries is key order, then value order.
      order.sort((a, b) => buf.compare(buf, starts[b]!, starts[b + 1]!, starts[a]!, starts[a + 1]!))
      const out = f.out!
      out.ensure(entries.pos)
      for (const k of order) {
        buf.copy(out.buf, out.pos, starts[k]!, starts[k + 1]!)
        out.pos += starts[k + 1]! - starts[k]!
      }
      this.#w = out
    }
    this.#clear(f)
  }

  #clear(f: Frame): void {
    f.value = undefined
    f.keys = undefined
    f.items = undefined
    f.out = undefined
  }

  #fail(what: string, hint = ''): never {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_KEY_INPUT,
      `Invalid key input: ${what} at ${this.#path()}${hint}`,
    )
  }

  /** `$.a[3].b`-style path of the value being encoded; Map entries read `[key #i]` / `[value #i]`, Set elements `[#i]`. */
  #path(): string {
    let path = '$'
    const depth = this.#depth
    for (let d = 0; d < depth; d++) {
      if (d === PATH_HEAD && depth > 2 * PATH_HEAD) {
        path += `…(${depth - 2 * PATH_HEAD} levels)…`
        d = depth - PATH_HEAD
      }
      const f = this.#frames[d]!
      const i = f.i - 1
      if (f.tag === T_ARRAY) path += `[${i}]`
      else if (f.tag === T_SET) path += `[#${i}]`
      else if (f.tag === T_MAP) path += `[${i & 1 ? 'value' : 'key'} #${i >> 1}]`
      else {
        const key = f.keys![i]!
        path += IDENTIFIER.test(key)
          ? `.${key}`
          : `[${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)}]`
      }
    }
    return path
  }
}

/** Sorts keys by UTF-16 code units, as `Array#sort()` does, but faster for the usual few keys. */
function sortKeys(keys: string[]): string[] {
  if (keys.length > 16) return keys.sort()
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!
    let j = i - 1
    for (; j >= 0 && keys[j]! > key; j--) keys[j + 1] = keys[j]!
    keys[j + 1] = key
  }
  return keys
}

const shared = new Encoder()

/**
 * Runs `fn` on the canonical encoding of `input` without copying it. The bytes are only valid
 * during the call. Throws `ERR_CACHE_INVALID_KEY_INPUT` as {@link canonicalEncode} does.
 */
export function withCanonicalBytes<T>(input: unknown, fn: (bytes: Buffer) => T): T {
  // A getter in the input may itself call hashKey; it must not scribble on our scratch buffer.
  const encoder = shared.busy ? new Encoder() : shared
  encoder.busy = true
  try {
    return fn(encoder.encode(input))
  } finally {
    encoder.release()
    encoder.busy = false
  }
}

/**
 * Encodes `input` into canonical bytes: equal inputs (by the rules below) give equal bytes, and
 * different inputs give different bytes. This is what {@link hashKey} hashes.
 *
 * Format: a version byte ({@link CANONICAL_FORMAT_VERSION}), then the value. Every value starts
 * with a one-byte type tag; lengths and counts are big-endian uint32:
 * - `undefined` 00, `null` 01, `false` 02, `true` 03;
 * - number 04 + float64 BE (`-0` is written as `0`); Date 09 + float64 BE of `getTime()`;
 * - bigint 05 + length + ASCII decimal digits;
 * - string 06 + byte length + UTF-8 when well-formed, else 07 + byte length + UTF-16LE code units;
 * - Uint8Array / Buffer 08 + length + bytes;
 * - array 0A + count + elements (holes encode as `undefined`);
 * - plain or null-prototype object 0B + count + (key as a string, value) pairs sorted by key
 *   (UTF-16 code-unit order); own enumerable string keys only, so symbol keys are ignored as
 *   `JSON.stringify` ignores them, and a key holding `undefined` is present (`{a: undefined}` ≠ `{}`);
 * - Map 0C + count + (key, value) entries, Set 0D + count + elements, sorted by their encoded bytes.
 *
 * Refused with `ERR_CACHE_INVALID_KEY_INPUT` (the message names the value and its path, such as
 * `$.a[3].b`): `NaN`, `±Infinity`, invalid Dates, functions, symbols (as values),
 * class instances other than Date / Uint8Array / Map / Set, cycles, and nesting deeper than
 * {@link MAX_KEY_DEPTH}. The walk uses an explicit stack, so deep input never overflows the call stack.
 *
 * @returns a fresh Buffer the caller owns.
 */
export function canonicalEncode(input: unknown): Buffer {
  return withCanonicalBytes(input, (bytes) => Buffer.from(bytes))
}
