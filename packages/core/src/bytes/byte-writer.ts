/** Bytes a writer starts with; enough for most entries, so the scratch buffer rarely grows. */
const INITIAL_SIZE = 16 * 1024

/** Strings up to this many code units are UTF-8 encoded in JS: a native call costs more than the loop. */
const SHORT_STRING = 42

/** Below this many code units a JS loop writes ASCII faster than a call into `Buffer#write`. */
const SHORT_ASCII = 32

/** Writes `tag` then `value` as a big-endian uint32; plain stores skip `writeUInt32BE`'s range checks. */
function writeU32(buf: Buffer, at: number, tag: number, value: number): void {
  buf[at] = tag
  buf[at + 1] = value >>> 24
  buf[at + 2] = (value >>> 16) & 0xff
  buf[at + 3] = (value >>> 8) & 0xff
  buf[at + 4] = value & 0xff
}

/**
 * The one append-only byte buffer of the package, with the primitive writes of its two binary
 * formats: the entry codec (varint lengths, little-endian doubles; see `entry/`) and the canonical
 * key encoding (tag plus big-endian uint32 lengths and doubles; see `keys/`). Either format's
 * bytes must never change, so each keeps its own methods. Callers reuse writers (`reset()`, or
 * the codec's writer pool), so the hot paths allocate nothing once a buffer has grown to fit.
 */
export class ByteWriter {
  /** The backing buffer; grows by doubling. */
  buf: Buffer
  /** Next write offset. */
  pos = 0

  /** @param size initial capacity in bytes. @default 16384 */
  constructor(size = INITIAL_SIZE) {
    this.buf = Buffer.allocUnsafeSlow(size)
  }

  /** Forgets the written bytes, keeping the storage. */
  reset(): void {
    this.pos = 0
  }

  /** The written bytes, as a view that the next write or `reset()` invalidates. */
  view(): Buffer {
    return this.buf.subarray(0, this.pos)
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n)
  }

  private grow(n: number): void {
    const next = Buffer.allocUnsafeSlow(Math.max(this.buf.length * 2, this.pos + n))
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  // The entry codec's writes (and `u8`, `bytes`, shared by both formats).

  /** Writes one byte. */
  u8(byte: number): void {
    this.ensure(1)
    this.buf[this.pos++] = byte
  }

  /** Writes a tag byte followed by a varint. */
  tagVarint(tag: number, n: number): void {
    this.ensure(9)
    this.buf[this.pos++] = tag
    this.putVarint(n)
  }

  /** Writes an unsigned LEB128 varint of a safe non-negative integer. */
  varint(n: number): void {
    this.ensure(8)
    this.putVarint(n)
  }

  private putVarint(n: number): void {
    const buf = this.buf
    let pos = this.pos
    // Bit operations are 32-bit: numbers past 2^31 take the (rare) arithmetic path.
    while (n > 0x7fffffff) {
      buf[pos++] = (n % 128) | 0x80
      n = Math.floor(n / 128)
    }
    while (n > 0x7f) {
      buf[pos++] = (n & 0x7f) | 0x80
      n >>>= 7
    }
    buf[pos++] = n
    this.pos = pos
  }

  /**
   * Writes `n` as a varint of exactly `width` bytes at `at` (non-minimal LEB128, which readers
   * accept). Lets a length prefix be reserved before the byte count is known, avoiding a copy.
   */
  varintAt(at: number, n: number, width: number): void {
    const buf = this.buf
    for (let i = 0; i < width - 1; i++) {
      buf[at++] = (n % 128) | 0x80
      n = Math.floor(n / 128)
    }
    buf[at] = n
  }

  /** Writes a float64, little-endian. */
  f64(x: number): void {
    this.ensure(8)
    this.pos = this.buf.writeDoubleLE(x, this.pos)
  }

  /** Writes raw bytes. */
  bytes(src: Uint8Array): void {
    this.ensure(src.byteLength)
    this.buf.set(src, this.pos)
    this.pos += src.byteLength
  }

  /**
   * Writes `tag`, a varint UTF-8 byte length and the UTF-8 bytes of a string. Returns false,
   * having written nothing, when the string has a lone surrogate (UTF-8 cannot carry it).
   * `wellFormed` skips that check for text known to be well-formed (`JSON.stringify` output).
   */
  utf8(tag: number, str: string, wellFormed = false): boolean {
    const len = str.length
    if (len <= SHORT_STRING) return this.shortUtf8(tag, str, len)
    if (!wellFormed && !isWellFormed(str)) return false
    const width = varintWidth(len * 3)
    this.ensure(1 + width + len * 3)
    const start = this.pos
    this.buf[start] = tag
    const n = this.buf.write(str, start + 1 + width, 'utf8')
    this.varintAt(start + 1, n, width)
    this.pos = start + 1 + width + n
    return true
  }

  // At most 3 bytes per code unit (a surrogate pair is 4 bytes for 2 units), so 42 units fit a 1-byte length.
  private shortUtf8(tag: number, str: string, len: number): boolean {
    this.ensure(2 + len * 3)
    const buf = this.buf
    const start = this.pos
    let p = start + 2
    for (let i = 0; i < len; i++) {
      const c = str.charCodeAt(i)
      if (c < 0x80) {
        buf[p++] = c
      } else if (c < 0x800) {
        buf[p++] = 0xc0 | (c >> 6)
        buf[p++] = 0x80 | (c & 0x3f)
      } else if (c < 0xd800 || c > 0xdfff) {
        buf[p++] = 0xe0 | (c >> 12)
        buf[p++] = 0x80 | ((c >> 6) & 0x3f)
        buf[p++] = 0x80 | (c & 0x3f)
      } else {
        const c2 = i + 1 < len ? str.charCodeAt(i + 1) : 0
        if (c > 0xdbff || c2 < 0xdc00 || c2 > 0xdfff) return false
        i++
        const cp = ((c - 0xd800) << 10) + (c2 - 0xdc00) + 0x10000
        buf[p++] = 0xf0 | (cp >> 18)
        buf[p++] = 0x80 | ((cp >> 12) & 0x3f)
        buf[p++] = 0x80 | ((cp >> 6) & 0x3f)
        buf[p++] = 0x80 | (cp & 0x3f)
      }
    }
    buf[start] = tag
    buf[start + 1] = p - start - 2
    this.pos = p
    return true
  }

  /** Writes `tag`, a varint code-unit count and the UTF-16LE code units (lone surrogates kept). */
  utf16(tag: number, str: string): void {
    const len = str.length
    this.ensure(9 + len * 2)
    this.buf[this.pos++] = tag
    this.putVarint(len)
    this.pos += this.buf.write(str, this.pos, 'utf16le')
  }

  /**
   * Copies the written bytes into an exact-size Buffer. Small results come from Node's shared
   * Buffer pool (as with `Buffer.from`): 40% faster than a buffer of its own for a 1 KB entry;
   * a store that keeps bytes long-term copies them anyway (MemoryStore does).
   */
  finish(): Buffer {
    const out = Buffer.allocUnsafe(this.pos)
    this.buf.copy(out, 0, 0, this.pos)
    return out
  }

  // The canonical key encoding's writes.

  /** Writes a tag followed by a big-endian uint32 (a length or a count). */
  tagU32(tag: number, value: number): void {
    this.ensure(5)
    writeU32(this.buf, this.pos, tag, value)
    this.pos += 5
  }

  /** Writes a tag followed by a big-endian IEEE-754 double. */
  tagF64(tag: number, value: number): void {
    this.ensure(9)
    this.buf[this.pos] = tag
    this.buf.writeDoubleBE(value, this.pos + 1)
    this.pos += 9
  }

  /** Writes a tag, the uint32 byte length of `bytes`, then `bytes[start, end)`. */
  tagBytes(tag: number, bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.tagU32(tag, end - start)
    this.ensure(end - start)
    this.buf.set(bytes.subarray(start, end), this.pos)
    this.pos += end - start
  }

  /**
   * Writes a string as `tag, uint32 byte length, bytes`: UTF-8 under `utf8Tag` when the string is
   * well-formed, else UTF-16LE code units under `utf16Tag`. UTF-8 would turn a lone surrogate into
   * U+FFFD, so ill-formed strings keep their code units and a tag of their own.
   */
  string(s: string, utf8Tag: number, utf16Tag: number): void {
    const n = s.length
    // 3 bytes per code unit bounds both UTF-8 (a pair of units makes 4 bytes) and UTF-16 (2).
    this.ensure(5 + n * 3)
    const buf = this.buf
    const start = this.pos + 5
    let len = -1
    if (n < SHORT_ASCII) {
      let i = 0
      for (; i < n; i++) {
        const c = s.charCodeAt(i)
        if (c > 0x7f) break
        buf[start + i] = c
      }
      if (i === n) len = n
    }
    let tag = utf8Tag
    if (len < 0) {
      if (isWellFormed(s)) len = buf.write(s, start, 'utf8')
      else {
        tag = utf16Tag
        len = buf.write(s, start, 'utf16le')
      }
    }
    writeU32(buf, this.pos, tag, len)
    this.pos = start + len
  }
}

/** Bytes of the minimal varint of `n`. */
export function varintWidth(n: number): number {
  let width = 1
  while (n > 0x7f) {
    n = Math.floor(n / 128)
    width++
  }
  return width
}

const isWellFormedImpl = (String.prototype as { isWellFormed?: (this: string) => boolean }).isWellFormed

/** True when `str` has no lone surrogate (`String.prototype.isWellFormed`, with a fallback). */
export function isWellFormed(str: string): boolean {
  return isWellFormedImpl
    ? isWellFormedImpl.call(str)
    : !/\p{Surrogate}/u.test(str.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))
}
