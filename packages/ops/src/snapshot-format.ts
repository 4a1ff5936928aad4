import { CODEC_VERSION } from '@cache/core/layout'
import type { ExportedEntry } from './exported-entry.js'

/**
 * Snapshot files are JSON Lines: a header line, then one entry a line. A file of millions of
 * entries is written and read line by line, never held in memory.
 *
 * ```text
 * {"format":"cache-snapshot","version":1,"codecVersion":1,"createdAt":"2025-01-01T00:00:00.000Z","namespace":"app","source":"redis"}
 * {"key":"app:user:1","codec":1,"createdAt":1735689600000,"expiresAt":1735690200000,"staleUntil":1735693800000,"tags":["user:1"],"size":57,"data":"zsABAA..."}
 * ```
 *
 * `data` is the base64 of the encoded envelope, exactly as the store held it: every value type
 * the codec supports (Buffer, typed arrays, Date, BigInt, Map...) survives byte for byte, and
 * the envelope is authoritative. The other fields repeat its header for `grep` and `jq`
 * (`null` stands for `Infinity`, no expiry); editing them changes nothing.
 */
export const SNAPSHOT_FORMAT = 'cache-snapshot'

/** Version of the snapshot file layout (not of the entries, which carry their codec version). */
export const SNAPSHOT_VERSION = 1

/** The first line of a snapshot. */
export interface SnapshotHeader {
  /** Always {@link SNAPSHOT_FORMAT}. */
  format: typeof SNAPSHOT_FORMAT
  /** Layout version, {@link SNAPSHOT_VERSION}. */
  version: number
  /** Codec version of the build that wrote the file. */
  codecVersion: number
  /** ISO time the snapshot was started. */
  createdAt: string
  /** Namespace the snapshot was limited to, or `null` for every key. */
  namespace: string | null
  /** What it was taken from (`'redis'`, `'keyv'`...), for people reading the file. */
  source: string | null
}

/** One entry line as parsed from JSON. */
export interface SnapshotLine {
  key: string
  codec: number
  createdAt: number
  expiresAt: number | null
  staleUntil: number | null
  tags: string[]
  size: number
  data: string
}

/** The header line of a new snapshot. */
export function snapshotHeader(namespace: string | undefined, source: string | undefined): SnapshotHeader {
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    codecVersion: CODEC_VERSION,
    createdAt: new Date().toISOString(),
    namespace: namespace ?? null,
    source: source ?? null,
  }
}

const finite = (n: number): number | null => (Number.isFinite(n) ? n : null)

/** The JSON text (without newline) of one entry line. */
export function formatEntryLine(entry: ExportedEntry): string {
  const line: SnapshotLine = {
    key: entry.key,
    codec: entry.codecVersion,
    createdAt: entry.createdAt,
    expiresAt: finite(entry.expiresAt),
    staleUntil: finite(entry.staleUntil),
    tags: entry.tags,
    size: entry.size,
    data: Buffer.from(entry.bytes.buffer, entry.bytes.byteOffset, entry.bytes.byteLength).toString('base64'),
  }
  return JSON.stringify(line)
}

/** Why a header line is not one this build reads, or `undefined` when it is. */
export function headerProblem(value: unknown): string | undefined {
  const h = value as Partial<SnapshotHeader> | null
  if (typeof h !== 'object' || h === null || h.format !== SNAPSHOT_FORMAT) {
    return `not a snapshot: the first line must be a header with "format":"${SNAPSHOT_FORMAT}"`
  }
  if (h.version !== SNAPSHOT_VERSION) {
    return `snapshot layout version ${String(h.version)} is not supported (this build reads ${SNAPSHOT_VERSION})`
  }
  return undefined
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** The key and bytes of an entry line, or why the line is malformed. */
export function parseEntryLine(text: string): { key: string; bytes: Buffer } | { problem: string } {
  let value: Partial<SnapshotLine>
  try {
    value = JSON.parse(text)
  } catch (error) {
    return { problem: `invalid JSON (${(error as Error).message})` }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problem: 'an entry line must be a JSON object' }
  }
  if (typeof value.key !== 'string' || value.key === '')
    return { problem: '"key" must be a non-empty string' }
  const data = value.data
  // Buffer.from(_, 'base64') ignores bad characters: check first, so damage is reported, not imported.
  if (typeof data !== 'string' || data.length % 4 !== 0 || !BASE64.test(data)) {
    return { problem: '"data" must be the base64 of an envelope' }
  }
  return { key: value.key, bytes: Buffer.from(data, 'base64') }
}
