import { BIG_ENDIAN, swapBytes } from './byte-order.js'
import { ByteReader } from './byte-reader.js'
import { decodeError, guardDecode } from './codec-errors.js'
import { MAX_DEPTH } from './json-scan.js'
import { BinaryKind, Tag, TYPED_ARRAYS } from './value-tags.js'

/** Largest array length JavaScript allows. */
const MAX_ARRAY_LENGTH = 2 ** 32 - 1

/**
 * Decodes bytes made by `encodeValue`. The bytes must hold exactly one value. Anything wrong
 * (unknown tag, truncation, a length past the end, nesting deeper than {@link MAX_DEPTH},
 * trailing bytes) throws `ERR_CACHE_DECODE`, never another error. The result shares no memory
 * with `bytes`.
 */
export function decodeValue(bytes: Uint8Array): unknown {
  return guardDecode(() => {
    const reader = new ByteReader(bytes)
    const value = readValue(reader)
    if (reader.pos !== reader.end)
      throw decodeError(`${reader.end - reader.pos} trailing bytes after the value`)
    return value
  })
}

/**
 * Reads one value at the reader's position (errors may be of any type: callers wrap with
 * `guardDecode`). With `pooled`, a `Buffer` leaf is copied into Node's shared allocation pool, as
 * `Buffer.from(string)` does, instead of into memory of its own: several times cheaper, for a
 * value that no cache tier keeps (a pooled copy pins its pool slab while it lives).
 */
export function readValue(reader: ByteReader, pooled = false): unknown {
  return new ValueDecoder(reader, pooled).value(0)
}

class ValueDecoder {
  constructor(
    private readonly r: ByteReader,
    private readonly pooled: boolean,
  ) {}

  value(depth: number): unknown {
    const r = this.r
    const tag = r.u8()
    switch (tag) {
      case Tag.UNDEFINED:
        return undefined
      case Tag.NULL:
        return null
      case Tag.FALSE:
        return false
      case Tag.TRUE:
        return true
      case Tag.INT: {
        const z = r.varint()
        if (z > 0xffffffff) throw decodeError(`int out of range at offset ${r.pos}`)
        return (z >>> 1) ^ -(z & 1)
      }
      case Tag.FLOAT64:
        return r.f64()
      case Tag.STRING_UTF8:
        return r.utf8(r.varint())
      case Tag.STRING_UTF16:
        return r.utf16(r.varint())
      case Tag.BIGINT:
        return this.bigint()
      case Tag.DATE:
        return new Date(r.f64())
      case Tag.REGEXP:
        return new RegExp(this.string(), this.string())
      case Tag.BINARY:
        return this.binary()
      case Tag.JSON:
        return JSON.parse(r.utf8(r.varint()))
      case Tag.ARRAY:
        return this.array(this.enter(depth))
      case Tag.OBJECT:
        return this.props({}, this.enter(depth))
      case Tag.OBJECT_NULL_PROTO:
        return this.props(Object.create(null), this.enter(depth))
      case Tag.MAP:
        return this.map(this.enter(depth))
      case Tag.SET:
        return this.set(this.enter(depth))
      default:
        throw decodeError(`unknown value tag 0x${tag.toString(16)} at offset ${r.pos - 1}`)
    }
  }

  /** Checks the depth limit before a container is read; returns its children's depth. */
  private enter(depth: number): number {
    if (depth >= MAX_DEPTH) throw decodeError(`nesting deeper than ${MAX_DEPTH} at offset ${this.r.pos}`)
    return depth + 1
  }

  private string(): string {
    const r = this.r
    const tag = r.u8()
    if (tag === Tag.STRING_UTF8) return r.utf8(r.varint())
    if (tag === Tag.STRING_UTF16) return r.utf16(r.varint())
    throw decodeError(`expected a string at offset ${r.pos - 1}, found tag 0x${tag.toString(16)}`)
  }

  private bigint(): bigint {
    const r = this.r
    const sign = r.u8()
    if (sign > 1) throw decodeError(`bad bigint sign at offset ${r.pos - 1}`)
    const n = r.varint()
    if (n === 0) return 0n
    const magnitude = BigInt('0x' + r.view(n).toString('hex'))
    return sign === 1 ? -magnitude : magnitude
  }

  private binary(): unknown {
    const r = this.r
    const kind = r.u8()
    const src = r.view(r.varint())
    if (kind === BinaryKind.BUFFER && this.pooled) {
      const copy = Buffer.allocUnsafe(src.byteLength)
      copy.set(src)
      return copy
    }
    // Copy into memory of its own: the result must not alias the input nor pin a pooled slab
    // (a typed array's `.buffer` is the whole allocation, which its reader may use as its data).
    const ab = new ArrayBuffer(src.byteLength)
    new Uint8Array(ab).set(src)
    if (kind === BinaryKind.ARRAY_BUFFER) return ab
    if (kind === BinaryKind.DATA_VIEW) return new DataView(ab)
    if (kind === BinaryKind.BUFFER) return Buffer.from(ab)
    const ctor = TYPED_ARRAYS[kind]
    if (ctor === undefined) {
      throw decodeError(
        kind === BinaryKind.FLOAT16
          ? 'Float16Array is not available on this runtime'
          : `unknown binary kind ${kind}`,
      )
    }
    const size = ctor.BYTES_PER_ELEMENT
    if (ab.byteLength % size !== 0)
      throw decodeError(`${ab.byteLength} bytes is not a whole number of elements`)
    if (BIG_ENDIAN && size > 1) swapBytes(Buffer.from(ab), size)
    return new ctor(ab)
  }

  private array(depth: number): unknown[] {
    const r = this.r
    const count = r.count(1)
    const out: unknown[] = []
    for (let i = 0; i < count; i++) {
      if (r.buf[r.pos] === Tag.HOLES) {
        r.pos++
        const run = r.varint()
        if (run === 0 || out.length + run > MAX_ARRAY_LENGTH)
          throw decodeError(`bad hole run at offset ${r.pos}`)
        // Growing `length` adds holes without allocating elements.
        out.length += run
      } else {
        out.push(this.value(depth))
      }
    }
    return out
  }

  private props(out: Record<string, unknown>, depth: number): Record<string, unknown> {
    const count = this.r.count(2)
    for (let i = 0; i < count; i++) {
      const key = this.string()
      const value = this.value(depth)
      // Assigning `__proto__` would call the inherited setter and change the prototype.
      if (key === '__proto__') {
        Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true })
      } else {
        out[key] = value
      }
    }
    return out
  }

  private map(depth: number): Map<unknown, unknown> {
    const count = this.r.count(2)
    const out = new Map<unknown, unknown>()
    for (let i = 0; i < count; i++) {
      const key = this.value(depth)
      out.set(key, this.value(depth))
    }
    return out
  }

  private set(depth: number): Set<unknown> {
    const count = this.r.count(1)
    const out = new Set<unknown>()
    for (let i = 0; i < count; i++) out.add(this.value(depth))
    return out
  }
}
