import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'
import { CacheError, errors } from '@cache/core'
import { CODEC_VERSION, decodeEntry, peekEntryHeader } from '@cache/core/layout'
import { assertKnownOptions, optionKeys } from '@cache/core/plugin'
import { readCodecVersion } from './exported-entry.js'
import type { ImportableEntry } from './import-entries.js'
import { headerProblem, parseEntryLine, type SnapshotHeader } from './snapshot-format.js'

/** A malformed line of a snapshot. */
export interface InvalidLine {
  /** 1-based line number (the header is line 1). */
  line: number
  /** What is wrong with it. */
  reason: string
}

/** Options of {@link readSnapshot}. */
export interface ReadSnapshotOptions {
  /**
   * Called for each malformed entry line, which is then left out. Without it the first
   * malformed line rejects with `ERR_CACHE_DECODE` naming the line.
   * @default undefined (throw)
   */
  onInvalidLine?: (problem: InvalidLine) => void
  /**
   * How much of each envelope to check: `'header'` (cheap) or `'full'` (decodes every value, so a
   * corrupted value section is found before anything is imported).
   * @default 'header'
   */
  verify?: 'header' | 'full'
  /** Called once with the header line. @default undefined */
  onHeader?: (header: SnapshotHeader) => void
}

/** One entry of a snapshot, with its line number. */
export interface SnapshotRecord extends ImportableEntry {
  /** 1-based line number. */
  line: number
}

/**
 * Streams the entries of a snapshot file (or any readable of its text), line by line: a
 * snapshot of millions of entries never sits in memory. The header is checked first (a file that
 * is not a snapshot, or of another layout version, rejects with `ERR_CACHE_DECODE`). Entries of
 * another codec version are passed on: `importEntries` skips and counts them.
 */
export function readSnapshot(
  input: string | Readable,
  options: ReadSnapshotOptions = {},
): AsyncGenerator<SnapshotRecord> {
  // At the call, not at the first `next()`: bad options fail where they are written.
  assertKnownOptions(options, READ_SNAPSHOT_OPTIONS, 'readSnapshot options')
  return readAll(input, options)
}

const READ_SNAPSHOT_OPTIONS = optionKeys<ReadSnapshotOptions>({
  onInvalidLine: true,
  verify: true,
  onHeader: true,
})

async function* readAll(
  input: string | Readable,
  options: ReadSnapshotOptions,
): AsyncGenerator<SnapshotRecord> {
  const label = typeof input === 'string' ? input : 'snapshot'
  const stream = typeof input === 'string' ? createReadStream(input) : input
  const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
  let n = 0
  try {
    for await (const text of lines) {
      n++
      if (n === 1) {
        // Checked even without onHeader (an optional call would skip evaluating its argument).
        const header = readHeader(text, label)
        options.onHeader?.(header)
        continue
      }
      if (text.trim() === '') continue
      const parsed = parseEntryLine(text)
      const problem = 'problem' in parsed ? parsed.problem : envelopeProblem(parsed.bytes, options.verify)
      if (problem !== undefined) {
        if (options.onInvalidLine === undefined) {
          throw new CacheError(errors.ERR_CACHE_DECODE, `${label}:${n}: ${problem}`)
        }
        options.onInvalidLine({ line: n, reason: problem })
        continue
      }
      const entry = parsed as { key: string; bytes: Buffer }
      yield { key: entry.key, bytes: entry.bytes, line: n }
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, `snapshot ${label} does not exist`, {
        cause: error,
      })
    }
    throw error
  } finally {
    lines.close()
    stream.destroy()
  }
  if (n === 0) throw new CacheError(errors.ERR_CACHE_DECODE, `${label}: empty file, not a snapshot`)
}

function readHeader(text: string, label: string): SnapshotHeader {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    value = undefined
  }
  const problem = headerProblem(value)
  if (problem !== undefined) throw new CacheError(errors.ERR_CACHE_DECODE, `${label}:1: ${problem}`)
  return value as SnapshotHeader
}

function envelopeProblem(bytes: Buffer, verify: 'header' | 'full' = 'header'): string | undefined {
  const version = readCodecVersion(bytes)
  if (version === undefined) return '"data" is not a cache entry (wrong magic bytes)'
  // Another codec version is not damage: the import counts it as skipped.
  if (version !== CODEC_VERSION) return undefined
  try {
    if (verify === 'full') decodeEntry(bytes)
    else peekEntryHeader(bytes)
  } catch (error) {
    return (error as Error).message
  }
  return undefined
}

/** Outcome of {@link validateSnapshot}. */
export interface SnapshotValidation {
  /** The header line. */
  header: SnapshotHeader | undefined
  /** Well-formed entry lines. */
  entries: number
  /** Malformed entry lines. */
  invalid: number
  /** The first malformed lines (at most `maxProblems`), with reasons. */
  problems: InvalidLine[]
}

/**
 * Reads a whole snapshot once, decoding every envelope, and counts malformed lines without
 * importing anything: run it before an import so that a damaged file is refused whole rather
 * than half-imported. Rejects only when the file is not a snapshot at all.
 */
export async function validateSnapshot(
  input: string | Readable,
  maxProblems = 20,
): Promise<SnapshotValidation> {
  const out: SnapshotValidation = { header: undefined, entries: 0, invalid: 0, problems: [] }
  const records = readSnapshot(input, {
    verify: 'full',
    onHeader: (h) => {
      out.header = h
    },
    onInvalidLine: (p) => {
      out.invalid++
      if (out.problems.length < maxProblems) out.problems.push(p)
    },
  })
  for await (const _ of records) out.entries++
  return out
}
