import { decodeError } from './codec-errors.js'

/** Strings up to this many bytes are decoded in JS when ASCII: cheaper than a native call. */
const SHORT_STRING = 24

/**
 * A bounds-checked cursor over encoded bytes. Every read validates against the remaining bytes
 * before touching or allocating anything, so a corrupted length can never cause a huge
 * allocation or an out-of-range read: it throws `ERR_CACHE_DECODE` instead.
 */
export class ByteReader {
  /** The bytes being read (a view over the caller's memory; never written). */
  readonly buf: Buffer
  /** Next read offset. */
  pos: number
  /** Offset one past the last readable byte. */
  readonly end: number

  constructor(bytes: Uint8Array, pos = 0, end = bytes.byteLength) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.pos = pos
    this.end = end
  }

  /** Bytes left to read. */
  remaining(): number {
    return this.end - this.pos
  }

  /** Throws unless `n` more bytes are available. */
  need(n: number): void {
    if (n > this.end - this.pos) throw decodeError(`truncated (needs ${n} bytes at offset ${this.pos})`)
  }

  /** Reads one byte. */
  u8(): number {
    if (this.pos >= this.end) throw decodeError(`truncated at offset ${this.pos}`)
    return this.buf[this.pos++]!
  }

  /** Reads an unsigned LEB128 varint (non-minimal forms accepted) up to `Number.MAX_SAFE_INTEGER`. */
  varint(): number {
    const buf = this.buf
    let pos = this.pos
    let result = 0
    let scale = 1
    // 8 groups of 7 bits cover 2^56, past the safe-integer range checked below.
    for (let i = 0; i < 8; i++) {
      if (pos >= this.end) throw decodeError(`truncated varint at offset ${this.pos}`)
      const b = buf[pos++]!
      result += (b & 0x7f) * scale
      if (b < 0x80) {
        if (result > Number.MAX_SAFE_INTEGER) break
        this.pos = pos
        return result
      }
      scale *= 128
    }
    throw decodeError(`varint too long at offset ${this.pos}`)
  }

  /**
   * Reads a varint count of items that each take at least `minBytes` bytes, and checks that
   * many could fit in what remains: a corrupted count fails here, before any loop or allocation.
   */
  count(minBytes: number): number {
    const at = this.pos
    const n = this.varint()
    if (n * minBytes > this.end - this.pos) throw decodeError(`count ${n} at offset ${at} exceeds the input`)
    return n
  }

  /** Reads a float64, little-endian. */
  f64(): number {
    this.need(8)
    const x = this.buf.readDoubleLE(this.pos)
    this.pos += 8
    return x
  }

  /** Returns a view (no copy) of the next `n` bytes. */
  view(n: number): Buffer {
    this.need(n)
    const start = this.pos
    this.pos += n
    return this.buf.subarray(start, this.pos)
  }

  /** Reads `n` bytes of UTF-8. */
  utf8(n: number): string {
    this.need(n)
    const buf = this.buf
    const start = this.pos
    const end = start + n
    this.pos = end
    if (n <= SHORT_STRING) {
      let s = ''
      for (let i = start; i < end; i++) {
        const b = buf[i]!
        if (b >= 0x80) return buf.toString('utf8', start, end)
        s += String.fromCharCode(b)
      }
      return s
    }
    return buf.toString('utf8', start, end)
  }

  /** Reads `units` UTF-16LE code units (lone surrogates preserved). */
  utf16(units: number): string {
    this.need(units * 2)
    const start = this.pos
    this.pos += units * 2
    return this.buf.toString('utf16le', start, this.pos)
  }
}
