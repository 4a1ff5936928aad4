import { CODEC_VERSION, decodeEntry, peekEntryHeader } from '@cache/core/layout'

/**
 * One cache entry as the ops APIs move it: the store key, the encoded envelope (lossless, the
 * exact bytes the store holds) and the envelope's header fields read without decoding the value.
 */
export interface ExportedEntry {
  /** Full store key, namespace included, e.g. `'app/users:42'`. */
  key: string
  /** The encoded envelope (value, timestamps, tags, codec version), exactly as stored. */
  bytes: Uint8Array
  /** Wire format version of the envelope (see `CODEC_VERSION`). */
  codecVersion: number
  /** Epoch ms when the entry was written. */
  createdAt: number
  /** Epoch ms after which the entry is stale (`Infinity` for no expiry). */
  expiresAt: number
  /** Epoch ms until which the stale entry may still be served (grace). */
  staleUntil: number
  /** Ms until the entry turns stale, at the time it was read: `Infinity` for no expiry, `<= 0` while stale. */
  ttlRemaining: number
  /** Tags of the entry, as the application wrote them (not namespace-qualified). */
  tags: string[]
  /** Size of the envelope in bytes. */
  size: number
  /** The value section is Brotli-compressed. */
  compressed: boolean
  /** The decoded value; present only when the entry was read with `decode: true`. */
  value?: unknown
}

/** Why an entry was not exported, imported or synced. */
export type SkipReason =
  /** Another codec version: this build cannot read it, and never overwrites with it. */
  | 'codec'
  /** The model version (see `versionOf`) is not an accepted one. */
  | 'version'
  /** Past its grace window: nothing left to serve. */
  | 'expired'
  /** Not a cache entry (foreign bytes, corrupted header or value). */
  | 'invalid'
  /** The key exists on the destination and overwriting was not asked for. */
  | 'exists'
  /** The key is outside the namespace of the destination cache. */
  | 'namespace'

/** Reported through `onSkip` for every entry left out, so nothing is dropped silently. */
export interface SkipEvent {
  /** Store key of the entry. */
  key: string
  /** Why it was left out. */
  reason: SkipReason
  /** Human-readable detail (the decode error, both versions...). */
  detail?: string
}

/** Counters by {@link SkipReason}. */
export type SkipCounts = Record<SkipReason, number>

/** A fresh all-zero {@link SkipCounts}. */
export function emptySkipCounts(): SkipCounts {
  return { codec: 0, version: 0, expired: 0, invalid: 0, exists: 0, namespace: 0 }
}

/** Sum of every counter of `counts`. */
export function totalSkipped(counts: SkipCounts): number {
  return Object.values(counts).reduce((a, b) => a + b, 0)
}

// First bytes of every envelope (see entry-codec.ts): magic 0xCE 0xC0, then the version byte.
const MAGIC_0 = 0xce
const MAGIC_1 = 0xc0

/**
 * The codec version byte of an envelope, or `undefined` when `bytes` is not an envelope at all.
 * Read directly from byte 2, because `peekEntryHeader` refuses other versions outright and ops
 * must tell "another version" (skipped, counted) from "not an entry".
 */
export function readCodecVersion(bytes: Uint8Array): number | undefined {
  if (bytes.byteLength < 4 || bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) return undefined
  return bytes[2]
}

/** Result of {@link classifyEntry}: an entry, or why it was left out. */
export type Classified = { entry: ExportedEntry; skip?: undefined } | { entry?: undefined; skip: SkipEvent }

/**
 * Reads the header of stored bytes into an {@link ExportedEntry}, or says why they cannot be
 * moved: another codec version, not an envelope, or past its grace window at `now`. With
 * `decode`, the value is decoded too (a corrupted value section is then `invalid`).
 */
export function classifyEntry(key: string, bytes: Uint8Array, now: number, decode = false): Classified {
  const version = readCodecVersion(bytes)
  if (version === undefined) return { skip: { key, reason: 'invalid', detail: 'not a cache entry' } }
  if (version !== CODEC_VERSION) {
    return {
      skip: { key, reason: 'codec', detail: `codec version ${version}, this build reads ${CODEC_VERSION}` },
    }
  }
  let entry: ExportedEntry
  try {
    const h = peekEntryHeader(bytes)
    entry = {
      key,
      bytes,
      codecVersion: h.codecVersion,
      createdAt: h.createdAt,
      expiresAt: h.expiresAt,
      staleUntil: h.staleUntil,
      ttlRemaining: h.expiresAt - now,
      tags: h.tags,
      size: h.byteLength,
      compressed: h.compressed,
    }
    if (decode) entry.value = decodeEntry(bytes).value
  } catch (error) {
    return { skip: { key, reason: 'invalid', detail: (error as Error).message } }
  }
  if (entry.staleUntil <= now) return { skip: { key, reason: 'expired' } }
  return { entry }
}
