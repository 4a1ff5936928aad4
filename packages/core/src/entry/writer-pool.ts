import { ByteWriter } from '../bytes/byte-writer.js'

/** A grown scratch buffer above this size is dropped after use instead of being kept for the next call. */
const KEEP_LIMIT = 1024 * 1024

// Allocated on first use, so importing the codec costs no memory.
let spare: ByteWriter | undefined

/**
 * Takes the shared scratch writer, or a fresh one when it is in use: an encode can re-enter
 * (a getter in the value may itself encode), and two encodes must never share a buffer.
 */
export function acquireWriter(): ByteWriter {
  const w = spare ?? new ByteWriter()
  spare = undefined
  w.pos = 0
  return w
}

/** Returns a writer for reuse; one that grew past 1 MB is dropped so a single huge value does not stay resident. */
export function releaseWriter(w: ByteWriter): void {
  if (w.buf.length <= KEEP_LIMIT) spare = w
}
