import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { rename, rm } from 'node:fs/promises'
import type { Writable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { assertKnownOptions, optionKeys } from '@cache/core/plugin'
import type { ExportedEntry } from './exported-entry.js'
import { formatEntryLine, type SnapshotHeader, snapshotHeader } from './snapshot-format.js'

/** Options of {@link writeSnapshot}. */
export interface WriteSnapshotOptions {
  /** Recorded in the header: the namespace the entries were limited to. @default undefined (null) */
  namespace?: string
  /** Recorded in the header: what the entries were taken from. @default undefined (null) */
  source?: string
  /** Called every 1,000 entries and at the end with how many were written. @default undefined */
  onProgress?: (written: number) => void
  /** Stops writing; a file being written is removed. @default undefined */
  signal?: AbortSignal
}

/** Every key of {@link WriteSnapshotOptions}, kept equal to the interface by the compiler. */
export const WRITE_SNAPSHOT_OPTIONS = optionKeys<WriteSnapshotOptions>({
  namespace: true,
  source: true,
  onProgress: true,
  signal: true,
})

/** Outcome of {@link writeSnapshot}. */
export interface WriteSnapshotResult {
  /** Entry lines written. */
  entries: number
  /** Bytes written, header included. */
  bytes: number
}

/**
 * Writes entries as a snapshot (header line, then one entry a line), streaming with
 * backpressure: memory stays bounded whatever the number of entries. Given a path, the file is
 * written beside it under a temporary name and renamed when complete, so a failed or aborted
 * export never leaves a truncated snapshot behind.
 */
export async function writeSnapshot(
  entries: Iterable<ExportedEntry> | AsyncIterable<ExportedEntry>,
  output: string | Writable,
  options: WriteSnapshotOptions = {},
): Promise<WriteSnapshotResult> {
  assertKnownOptions(options, WRITE_SNAPSHOT_OPTIONS, 'writeSnapshot options')
  if (typeof output !== 'string') {
    return writeLines(entries, output, snapshotHeader(options.namespace, options.source), options)
  }
  const temp = `${output}.${process.pid}.${Date.now()}.tmp`
  const stream = createWriteStream(temp, { flags: 'wx' })
  // A write fails after the fact (a full disk): keep the first error and stop at the next entry
  // or drain, rather than leave an 'error' event nobody listens to (a crash) or a drain that
  // never comes (a hang).
  const broken = new AbortController()
  stream.on('error', (error) => broken.abort(error))
  const signal = options.signal ? AbortSignal.any([options.signal, broken.signal]) : broken.signal
  try {
    await once(stream, 'open')
    const result = await writeLines(entries, stream, snapshotHeader(options.namespace, options.source), {
      ...options,
      signal,
    })
    stream.end()
    await finished(stream)
    await rename(temp, output)
    return result
  } catch (error) {
    // The stream's own error says more than the abort it caused; taken before destroy(), whose
    // echo (a write in flight failing with ERR_STREAM_DESTROYED) must not replace it.
    const cause = broken.signal.aborted ? broken.signal.reason : error
    stream.destroy()
    if (!stream.closed) await new Promise<void>((resolve) => stream.once('close', () => resolve()))
    await rm(temp, { force: true })
    throw cause
  }
}

/**
 * Writes `header` (when given) and the entry lines to `out`, waiting for `drain` whenever the
 * stream's buffer is full. Does not end the stream.
 */
export async function writeLines(
  entries: Iterable<ExportedEntry> | AsyncIterable<ExportedEntry>,
  out: Writable,
  header: SnapshotHeader | undefined,
  options: Pick<WriteSnapshotOptions, 'onProgress' | 'signal'> = {},
): Promise<WriteSnapshotResult> {
  const result: WriteSnapshotResult = { entries: 0, bytes: 0 }
  const write = async (text: string) => {
    const line = `${text}\n`
    result.bytes += Buffer.byteLength(line)
    if (!out.write(line)) await once(out, 'drain', { signal: options.signal })
  }
  if (header !== undefined) await write(JSON.stringify(header))
  const iterator =
    Symbol.asyncIterator in entries ? entries[Symbol.asyncIterator]() : entries[Symbol.iterator]()
  try {
    for (;;) {
      // Raced against the signal: a source stuck on a read (a stalled store) must not keep an
      // interrupted export, and its temporary file, alive until the read returns.
      const next = await untilAborted(Promise.resolve(iterator.next()), options.signal)
      if (next.done) break
      await write(formatEntryLine(next.value))
      if (++result.entries % 1000 === 0) options.onProgress?.(result.entries)
    }
  } catch (error) {
    // Not awaited: a read still pending would hold the return back.
    void Promise.resolve(iterator.return?.()).catch(() => {})
    throw error
  }
  options.onProgress?.(result.entries)
  return result
}

/** `promise`, or a rejection with the signal's reason as soon as `signal` aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  signal.throwIfAborted()
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort))
  })
}
