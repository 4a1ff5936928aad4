import { types } from 'node:util'
import { type ByteWriter, varintWidth } from '../bytes/byte-writer.js'
import { BIG_ENDIAN, swapBytes } from './byte-order.js'
import { atSegment, describeRefused, EncodeFailure, mapValueSegment, propSegment } from './encode-failure.js'
import { JSON_SAFE, MAX_DEPTH, presentIndices, REFUSED, scanJson } from './json-scan.js'
import { BINARY_KIND_BY_PROTO, BinaryKind, Tag, TYPED_ARRAYS } from './value-tags.js'
import { acquireWriter, releaseWriter } from './writer-pool.js'

/**
 * Encodes one value (no envelope, no version byte: a caller that stores the result should
 * store `CODEC_VERSION` next to it). Refuses what it cannot round-trip exactly with
 * `ERR_CACHE_UNENCODABLE_VALUE`, naming the path and the type; nothing is returned then.
 *
 * Supported: `undefined`, `null`, booleans, numbers (bit-exact, `-0`, `NaN`, `±Infinity`),
 * bigints, strings (lone surrogates kept), plain and null-prototype objects (own enumerable
 * string keys; `{ a: undefined }` keeps the key; `__proto__` as an own key stays an own key),
 * arrays (holes kept), `Map`, `Set`, `Date` (invalid too), `RegExp` (source and flags, not
 * `lastIndex`), `Buffer`, every typed array, `DataView` and `ArrayBuffer` (a view encodes only
 * its own bytes and decodes with `byteOffset` 0). Symbol keys, non-enumerable properties and
 * non-index properties of arrays are not stored (as with `JSON.stringify`); getters are invoked
 * (maybe twice: once by the JSON scan) and stored as data. Shared references are encoded once
 * per occurrence (the decoded copies are distinct); cycles are refused, as are containers
 * nested deeper than {@link MAX_DEPTH}. Refused: functions, symbols, class instances, subclasses
 * of the supported built-ins, and other built-ins (WeakMap, Promise, Error, boxed primitives...).
 *
 * The result may share Node's Buffer pool slab, like `Buffer.from`.
 */
export function encodeValue(value: unknown): Buffer {
  const w = acquireWriter()
  try {
    writeValue(w, value)
    return w.finish()
  } finally {
    releaseWriter(w)
  }
}

/**
 * Appends the encoding of `value` to `w` (used by the entry codec to write header and value
 * into one buffer). Throws `ERR_CACHE_UNENCODABLE_VALUE`; `w` is then left partially written.
 */
export function writeValue(w: ByteWriter, value: unknown, root = '$'): void {
  const unsafe = new Set<object>()
  let verdict: number
  try {
    verdict = scanJson(value, 0, unsafe)
  } catch {
    // A getter or Proxy trap threw while scanning: the walk below reports it with its path.
    verdict = REFUSED
  }
  try {
    if (verdict === JSON_SAFE && typeof value === 'object' && value !== null) {
      // The common case, a plain-JSON value: skip the walker.
      w.utf8(Tag.JSON, JSON.stringify(value), true)
    } else {
      // A refused scan stopped early and left containers unclassified: then walk all by hand.
      new ValueEncoder(w, verdict === REFUSED ? undefined : unsafe).value(value, 0)
    }
  } catch (error) {
    const failure = error instanceof EncodeFailure ? error : atSegment(error, '')
    throw failure.toCacheError(root)
  }
}

class ValueEncoder {
  private readonly ancestors = new Set<object>()

  constructor(
    private readonly w: ByteWriter,
    /** Plain objects and arrays the scan found not JSON-safe; `undefined` disables the JSON fast path. */
    private readonly unsafe: Set<object> | undefined,
  ) {}

  value(v: unknown, depth: number): void {
    const w = this.w
    switch (typeof v) {
      case 'string':
        this.string(v)
        return
      case 'number':
        if ((v | 0) === v && (v !== 0 || 1 / v > 0)) {
          // Zigzag keeps small negative numbers short.
          w.tagVarint(Tag.INT, ((v << 1) ^ (v >> 31)) >>> 0)
        } else {
          w.u8(Tag.FLOAT64)
          w.f64(v)
        }
        return
      case 'boolean':
        w.u8(v ? Tag.TRUE : Tag.FALSE)
        return
      case 'undefined':
        w.u8(Tag.UNDEFINED)
        return
      case 'bigint':
        this.bigint(v)
        return
      case 'object':
        if (v === null) w.u8(Tag.NULL)
        else this.object(v, depth)
        return
      default:
        throw new EncodeFailure(describeRefused(v))
    }
  }

  private string(s: string): void {
    if (!this.w.utf8(Tag.STRING_UTF8, s)) this.w.utf16(Tag.STRING_UTF16, s)
  }

  private bigint(v: bigint): void {
    let hex = (v < 0n ? -v : v).toString(16)
    if (hex.length % 2 === 1) hex = '0' + hex
    const w = this.w
    w.u8(Tag.BIGINT)
    w.u8(v < 0n ? 1 : 0)
    w.varint(hex.length / 2)
    w.ensure(hex.length / 2)
    w.pos += w.buf.write(hex, w.pos, 'hex')
  }

  private object(v: object, depth: number): void {
    const proto = Object.getPrototypeOf(v)
    const plain = proto === Object.prototype
    if (plain || (proto === Array.prototype && Array.isArray(v))) {
      if (this.unsafe !== undefined && !this.unsafe.has(v)) {
        // The scan proved this subtree plain JSON (acyclic, within depth): JSON.stringify is exact and fast.
        this.w.utf8(Tag.JSON, JSON.stringify(v), true)
        return
      }
    } else if (proto !== null && proto !== Map.prototype && proto !== Set.prototype) {
      this.leafObject(v, proto)
      return
    }
    if (depth >= MAX_DEPTH) throw new EncodeFailure(`a value nested more than ${MAX_DEPTH} levels deep`)
    if (this.ancestors.has(v)) throw new EncodeFailure('a circular reference')
    this.ancestors.add(v)
    if (plain || proto === null) this.props(v as Record<string, unknown>, proto === null, depth + 1)
    else if (proto === Map.prototype) this.map(v as Map<unknown, unknown>, depth + 1)
    else if (proto === Set.prototype) this.set(v as Set<unknown>, depth + 1)
    else this.array(v as unknown[], depth + 1)
    this.ancestors.delete(v)
  }

  private props(v: Record<string, unknown>, nullProto: boolean, depth: number): void {
    const keys = Object.keys(v)
    this.w.tagVarint(nullProto ? Tag.OBJECT_NULL_PROTO : Tag.OBJECT, keys.length)
    let i = 0
    try {
      for (; i < keys.length; i++) {
        const key = keys[i]!
        this.string(key)
        this.value(v[key], depth)
      }
    } catch (error) {
      throw atSegment(error, propSegment(keys[i]!))
    }
  }

  private array(v: unknown[], depth: number): void {
    const w = this.w
    const len = v.length
    // Runs of holes count as one item each, so the count is only known at the end: reserve its bytes.
    const width = varintWidth(len)
    w.ensure(1 + width)
    w.buf[w.pos] = Tag.ARRAY
    const at = w.pos + 1
    w.pos += 1 + width
    let items = 0
    let i = 0
    try {
      for (; i < len; i++) {
        const item = v[i]
        if (item === undefined && !(i in v)) {
          items += this.sparseTail(v, i, depth, (index) => (i = index))
          break
        }
        this.value(item, depth)
        items++
      }
    } catch (error) {
      throw atSegment(error, `[${i}]`)
    }
    w.varintAt(at, items, width)
  }

  /** Encodes an array from its first hole `from` on: present elements and hole runs. Returns the item count. */
  private sparseTail(v: unknown[], from: number, depth: number, track: (index: number) => void): number {
    const w = this.w
    let items = 0
    let next = from
    for (const index of presentIndices(v, from)) {
      if (index > next) {
        w.tagVarint(Tag.HOLES, index - next)
        items++
      }
      track(index)
      this.value(v[index], depth)
      items++
      next = index + 1
    }
    if (v.length > next) {
      w.tagVarint(Tag.HOLES, v.length - next)
      items++
    }
    return items
  }

  private map(v: Map<unknown, unknown>, depth: number): void {
    this.w.tagVarint(Tag.MAP, v.size)
    let position = 0
    let key: unknown
    let inKey = true
    try {
      for (const [k, value] of v) {
        key = k
        inKey = true
        this.value(k, depth)
        inKey = false
        this.value(value, depth)
        position++
      }
    } catch (error) {
      throw atSegment(error, inKey ? `.keys()[${position}]` : mapValueSegment(key, position))
    }
  }

  private set(v: Set<unknown>, depth: number): void {
    this.w.tagVarint(Tag.SET, v.size)
    let position = 0
    try {
      for (const value of v) {
        this.value(value, depth)
        position++
      }
    } catch (error) {
      throw atSegment(error, `.values()[${position}]`)
    }
  }

  /** Objects without children: Date, RegExp, binary; anything else is refused. */
  private leafObject(v: object, proto: object): void {
    const w = this.w
    // Brand checks after the prototype match: `Object.create(Date.prototype)` is not a Date.
    if (proto === Date.prototype && types.isDate(v)) {
      w.u8(Tag.DATE)
      w.f64((v as Date).getTime())
      return
    }
    if (proto === RegExp.prototype && types.isRegExp(v)) {
      w.u8(Tag.REGEXP)
      this.string((v as RegExp).source)
      this.string((v as RegExp).flags)
      return
    }
    const kind = BINARY_KIND_BY_PROTO.get(proto)
    if (kind !== undefined) {
      const bytes = binaryBytes(v, kind)
      if (bytes !== undefined) {
        this.binary(kind, bytes)
        return
      }
    }
    throw new EncodeFailure(describeRefused(v))
  }

  private binary(kind: number, bytes: Uint8Array): void {
    const w = this.w
    w.u8(Tag.BINARY)
    w.u8(kind)
    w.varint(bytes.byteLength)
    const start = w.pos
    w.bytes(bytes)
    const size = TYPED_ARRAYS[kind]?.BYTES_PER_ELEMENT ?? 1
    if (BIG_ENDIAN && size > 1) swapBytes(w.buf.subarray(start, w.pos), size)
  }
}

/** The bytes a binary value covers (a view's own window only), or `undefined` if the brand check fails. */
function binaryBytes(v: object, kind: number): Uint8Array | undefined {
  if (kind === BinaryKind.ARRAY_BUFFER) return types.isArrayBuffer(v) ? new Uint8Array(v) : undefined
  if (kind === BinaryKind.DATA_VIEW ? !types.isDataView(v) : !types.isTypedArray(v)) return undefined
  const view = v as ArrayBufferView
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
}
