/**
 * A stamped value: an entry that keeps some of its tags not in tag sets but as the generations
 * those tags had when its load began. `invalidateTags` bumps a tag's generation, so a reader
 * that finds a generation above the stamp knows the entry was invalidated, and the write touched
 * one key instead of the entry, its tag list and a set per tag.
 *
 * ```text
 * 0xCE 0xC1 | count (u8) | count × (key length u16 BE | generation key | gen length u8 | generation) | entry
 * ```
 *
 * Every entry starts with 0xCE 0xC0, so a stamped value is never mistaken for one.
 */

import type { LoadFence } from '../store.js'
import type { RedisKeyspace } from './redis-keys.js'

const MAGIC_0 = 0xce
const MAGIC_1 = 0xc1

/** One stamped tag: its generation key and the generation the entry was loaded under ('0': none). */
export interface Stamp {
  /** The Redis key of the tag's generation. */
  readonly key: string
  /** Its value when the load began. */
  readonly generation: string
}

/** A stamped value split: its stamps and the entry bytes (a view, no copy). */
export interface StampedValue {
  /** The stamps. */
  readonly stamps: readonly Stamp[]
  /** The entry bytes. */
  readonly entry: Buffer
}

/** `entry` prefixed with `stamps`. */
export function stampValue(stamps: readonly Stamp[], entry: Buffer): Buffer {
  let size = 3 + entry.byteLength
  for (const s of stamps) size += 3 + Buffer.byteLength(s.key) + s.generation.length
  const out = Buffer.allocUnsafe(size)
  out[0] = MAGIC_0
  out[1] = MAGIC_1
  out[2] = stamps.length
  let at = 3
  for (const s of stamps) {
    const keyBytes = out.write(s.key, at + 2)
    out.writeUInt16BE(keyBytes, at)
    at += 2 + keyBytes
    out[at] = s.generation.length
    at += 1 + out.write(s.generation, at + 1, 'latin1')
  }
  entry.copy(out, at)
  return out
}

/** True when `bytes` is a stamped value. */
export function isStamped(bytes: Buffer): boolean {
  return bytes[0] === MAGIC_0 && bytes[1] === MAGIC_1 && bytes.byteLength >= 3
}

/** The stamps and entry of a stamped value; `undefined` for plain entry bytes. */
export function readStamps(bytes: Buffer): StampedValue | undefined {
  if (!isStamped(bytes)) return undefined
  const count = bytes[2]!
  const stamps: Stamp[] = []
  let at = 3
  for (let i = 0; i < count; i++) {
    if (at + 2 > bytes.byteLength) return truncated(stamps, bytes)
    const keyLength = bytes.readUInt16BE(at)
    const key = bytes.toString('utf8', at + 2, at + 2 + keyLength)
    at += 2 + keyLength
    const genLength = bytes[at]
    if (genLength === undefined) return truncated(stamps, bytes)
    stamps.push({ key, generation: bytes.toString('latin1', at + 1, at + 1 + genLength) })
    at += 1 + genLength
  }
  if (at > bytes.byteLength) return truncated(stamps, bytes)
  return { stamps, entry: bytes.subarray(at) }
}

// A cut value decodes as an empty entry, which the codec refuses: a corrupted entry is a miss.
function truncated(stamps: Stamp[], bytes: Buffer): StampedValue {
  return { stamps, entry: bytes.subarray(bytes.byteLength) }
}

/**
 * True while no stamped tag was invalidated: every generation read now (`null` when the key is
 * gone) is at most the one the entry was loaded under. Generations only grow while they live,
 * and live at least as long as the entries stamped with them, so a missing one means no
 * invalidation since the load began.
 */
export function stampsHold(stamps: readonly Stamp[], current: (key: string) => string | null): boolean {
  for (const s of stamps) {
    const now = current(s.key)
    if (now !== null && Number(now) > Number(s.generation)) return false
  }
  return true
}

/** The stamps of `tags`, from the generations `fence` read; `undefined` when none or one was not read. */
export function stampsOf(
  ks: RedisKeyspace,
  tags: readonly string[] | undefined,
  fence: LoadFence,
): Stamp[] | undefined {
  if (tags === undefined || tags.length === 0) return undefined
  const stamps: Stamp[] = []
  for (const tag of tags) {
    const key = ks.generation('t', tag)
    const i = fence.keys.indexOf(key)
    if (i < 0) return undefined
    stamps.push({ key, generation: fence.generations[i]! })
  }
  return stamps
}
