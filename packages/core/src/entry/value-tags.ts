/**
 * One-byte tags of the value format (see `encode-value.ts` for the layout of each). The numbers
 * are wire format: never renumber, only append, and bump `CODEC_VERSION` on any incompatible change.
 */
export const Tag = {
  UNDEFINED: 0x00,
  NULL: 0x01,
  FALSE: 0x02,
  TRUE: 0x03,
  /** Zigzag varint of an integer in the int32 range (never `-0`). */
  INT: 0x04,
  /** IEEE 754 float64, little-endian: every other number, bit-exact (`-0`, `NaN`, `±Infinity`). */
  FLOAT64: 0x05,
  /** Varint byte length, then UTF-8 bytes. Only for well-formed strings. */
  STRING_UTF8: 0x06,
  /** Varint code-unit count, then UTF-16LE code units. For strings with lone surrogates. */
  STRING_UTF16: 0x07,
  /** Sign byte (0 or 1), varint byte length, big-endian magnitude. */
  BIGINT: 0x08,
  /** float64 time value (`NaN` for an invalid Date). */
  DATE: 0x09,
  /** Varint item count, then items; a run of holes counts as one item. */
  ARRAY: 0x0a,
  /** Varint run length (>= 1) of array holes; only valid as an item of {@link Tag.ARRAY}. */
  HOLES: 0x0b,
  /** Varint property count, then (string value, value) pairs. */
  OBJECT: 0x0c,
  /** As {@link Tag.OBJECT}, decoded with a `null` prototype. */
  OBJECT_NULL_PROTO: 0x0d,
  /** Varint entry count, then (key, value) pairs. */
  MAP: 0x0e,
  /** Varint element count, then elements. */
  SET: 0x0f,
  /** Source string value, then flags string value. */
  REGEXP: 0x10,
  /** Kind byte ({@link BinaryKind}), varint byte length, raw bytes (little-endian elements). */
  BINARY: 0x11,
  /** Varint byte length, then the UTF-8 `JSON.stringify` text of a plain-JSON subtree. */
  JSON: 0x12,
} as const

/** Kind byte of a {@link Tag.BINARY} value: which constructor to rebuild. */
export const BinaryKind = {
  ARRAY_BUFFER: 0,
  DATA_VIEW: 1,
  BUFFER: 2,
  INT8: 3,
  UINT8: 4,
  UINT8_CLAMPED: 5,
  INT16: 6,
  UINT16: 7,
  INT32: 8,
  UINT32: 9,
  FLOAT32: 10,
  FLOAT64: 11,
  BIGINT64: 12,
  BIGUINT64: 13,
  FLOAT16: 14,
} as const

/** A typed-array constructor, as far as the codec needs it. */
export interface TypedArrayConstructor {
  new (buffer: ArrayBuffer): ArrayBufferView
  readonly BYTES_PER_ELEMENT: number
  readonly prototype: object
}

// Float16Array exists only on newer runtimes (Node 24+); look it up without breaking older ones.
const Float16 = (globalThis as { Float16Array?: TypedArrayConstructor }).Float16Array

/** Typed-array constructors by {@link BinaryKind} (index = kind; `undefined` for non-typed-array kinds). */
export const TYPED_ARRAYS: readonly (TypedArrayConstructor | undefined)[] = [
  undefined,
  undefined,
  undefined,
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  Float16,
]

/** {@link BinaryKind} by exact prototype, so subclasses are not mistaken for the built-in. */
export const BINARY_KIND_BY_PROTO: ReadonlyMap<object, number> = new Map<object, number>([
  [ArrayBuffer.prototype, BinaryKind.ARRAY_BUFFER],
  [DataView.prototype, BinaryKind.DATA_VIEW],
  [Buffer.prototype, BinaryKind.BUFFER],
  ...TYPED_ARRAYS.flatMap((ctor, kind): [object, number][] => (ctor ? [[ctor.prototype, kind]] : [])),
])
