/** `String.prototype.isWellFormed` exists in Node 20 but is missing from the ES2023 lib typings. */
const isWellFormed = (s: string): boolean => (s as unknown as { isWellFormed(): boolean }).isWellFormed()

/** Below this many code units a JS loop writes ASCII faster than a call into `Buffer#write`. */
const SHORT_STRING = 32

/** Writes `tag` then `value` as a big-endian uint32; plain stores skip `writeUInt32BE`'s range checks. */
function writeU32(buf: Buffer, at: number, tag: number, value: number): void {
  buf[at] = tag
  buf[at + 1] = value >>> 24
  buf[at + 2] = (value >>> 16) & 0xff
  buf[at + 3] = (value >>> 8) & 0xff
  buf[at + 4] = value & 0xff
}

/**
 * A growable byte buffer for the canonical encoding. Callers reuse one writer across calls
 * (`reset()`), so the hot path allocates nothing once the buffer has grown to fit.
 */
export class ByteWriter {
  /** Backing storage; only `buf[0, pos)` is meaningful. */
  buf: Buffer
  /** Number of bytes written. */
  pos = 0

  /** @param capacity initial size in bytes. @default 1024 */
  constructor(capacity = 1024) {
    this.buf = Buffer.allocUnsafe(capacity)
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
    const need = this.pos + n
    if (need <= this.buf.length) return
    const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2))
    this.buf.copy(next, 0, 0, this.pos)
    this.buf = next
  }

  /** Writes one byte (a tag). */
  u8(value: number): void {
    this.ensure(1)
    this.buf[this.pos++] = value
  }

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
    if (n < SHORT_STRING) {
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
