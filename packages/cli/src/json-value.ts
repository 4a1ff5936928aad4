import { types } from 'node:util'

/** A value `JSON.stringify` writes as it is. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

// Typed arrays hold their elements in the platform's byte order; the codec (and so snapshot
// files) stores them little-endian. Every common Node platform is little-endian already.
const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0

/**
 * A decoded cache value as JSON, for `--json` output. JSON values stay as they are (objects stay
 * objects, arrays arrays); every other type the codec stores becomes an object naming it:
 *
 * - Buffer, typed arrays, DataView, ArrayBuffer: `{"$type":"Float32Array","base64":"AACAPw=="}`,
 *   the base64 of its bytes (elements little-endian), the encoding snapshot files use for `data`;
 * - Date: `{"$type":"Date","value":"2025-01-01T00:00:00.000Z"}` (`null` for an invalid date);
 * - BigInt: `{"$type":"BigInt","value":"-12"}`; `NaN`, `±Infinity`, `-0`:
 *   `{"$type":"number","value":"NaN"}`; `undefined` (and array holes): `{"$type":"undefined"}`;
 * - Map: `{"$type":"Map","entries":[[k,v],...]}`; Set: `{"$type":"Set","values":[...]}`;
 *   RegExp: `{"$type":"RegExp","source":"a+","flags":"g"}`;
 * - a plain object with its own `$type` key: `{"$type":"Object","value":{...}}`, so no value
 *   reads as another.
 *
 * Values the codec cannot store (functions, class instances) never reach here; should one, it is
 * `{"$type":"<constructor name>"}`.
 */
export function toJsonValue(value: unknown): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
        ? value
        : { $type: 'number', value: Object.is(value, -0) ? '-0' : String(value) }
    case 'bigint':
      return { $type: 'BigInt', value: value.toString() }
    case 'undefined':
      return { $type: 'undefined' }
    case 'object':
      return value === null ? null : objectToJson(value)
    default:
      return { $type: typeof value }
  }
}

function objectToJson(value: object): JsonValue {
  if (Array.isArray(value)) return Array.from(value, toJsonValue)
  if (types.isDate(value)) {
    const time = value.getTime()
    return { $type: 'Date', value: Number.isNaN(time) ? null : value.toISOString() }
  }
  if (ArrayBuffer.isView(value) || types.isAnyArrayBuffer(value)) {
    return { $type: typeName(value), base64: base64Of(value) }
  }
  if (types.isMap(value)) {
    return { $type: 'Map', entries: Array.from(value, ([k, v]) => [toJsonValue(k), toJsonValue(v)]) }
  }
  if (types.isSet(value)) return { $type: 'Set', values: Array.from(value, toJsonValue) }
  if (types.isRegExp(value)) return { $type: 'RegExp', source: value.source, flags: value.flags }
  const proto = Object.getPrototypeOf(value)
  if (proto !== Object.prototype && proto !== null) return { $type: typeName(value) }
  const out: { [key: string]: JsonValue } = {}
  for (const [k, v] of Object.entries(value)) {
    // An own "__proto__" key stays an own key (a plain assignment would set the prototype).
    Object.defineProperty(out, k, {
      value: toJsonValue(v),
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return Object.hasOwn(value, '$type') ? { $type: 'Object', value: out } : out
}

function base64Of(value: ArrayBufferView | ArrayBufferLike): string {
  const bytes = ArrayBuffer.isView(value)
    ? Buffer.from(value.buffer, value.byteOffset, value.byteLength)
    : Buffer.from(value)
  const size = (value as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1
  if (!BIG_ENDIAN || size === 1) return bytes.toString('base64')
  const copy = Buffer.from(bytes)
  if (size === 2) copy.swap16()
  else if (size === 4) copy.swap32()
  else copy.swap64()
  return copy.toString('base64')
}

function typeName(value: object): string {
  return (value as { constructor?: { name?: string } }).constructor?.name ?? 'Object'
}
