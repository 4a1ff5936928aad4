import type { WriteStream } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { ExportedEntry } from './exported-entry.js'
import { useTempDir } from './ops-test-helpers.js'
import { writeSnapshot } from './snapshot-writer.js'

// Fault injection: a real file stream whose second write fails as on a full disk (the stream is
// destroyed with ENOSPC a tick later, as fs streams do), for files named "full*".
vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>()
  const createWriteStream = ((path: string, options?: object) => {
    const stream: WriteStream = fs.createWriteStream(path, options as never)
    if (!String(path).includes('/full')) return stream
    let writes = 0
    const write = stream.write.bind(stream) as (chunk: unknown) => boolean
    stream.write = ((chunk: unknown) => {
      if (++writes === 2) {
        const error = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
        process.nextTick(() => stream.destroy(error))
      }
      return write(chunk)
    }) as WriteStream['write']
    return stream
  }) as typeof fs.createWriteStream
  return { ...fs, createWriteStream, default: { ...fs, createWriteStream } }
})

const tmp = useTempDir()
beforeAll(() => tmp.ready)

function entry(key: string): ExportedEntry {
  const bytes = new Uint8Array([1, 2, 3])
  return {
    key,
    bytes,
    codecVersion: 1,
    createdAt: 0,
    expiresAt: Number.POSITIVE_INFINITY,
    staleUntil: Number.POSITIVE_INFINITY,
    ttlRemaining: Number.POSITIVE_INFINITY,
    tags: [],
    size: bytes.byteLength,
    compressed: false,
  }
}

/** Entries that arrive slowly, as from a store: the write error lands while the next is awaited. */
async function* slowEntries(n: number): AsyncGenerator<ExportedEntry> {
  for (let i = 0; i < n; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5))
    yield entry(`k${i}`)
  }
}

describe('writeSnapshot to a file', () => {
  it('fails on a write error (a full disk), leaving no file and no temporary file', async () => {
    const file = tmp.path('full.jsonl')
    await expect(writeSnapshot(slowEntries(50), file)).rejects.toThrow('ENOSPC')
    expect((await readdir(await tmp.ready)).filter((name) => name.startsWith('full'))).toEqual([])
  })

  it('stops at once when aborted while its source is stuck on a read, leaving no file', async () => {
    const abort = new AbortController()
    // A store that answered the first read and stalls on the second (a paused Redis), during
    // which the user presses Ctrl-C.
    async function* stalled(): AsyncGenerator<ExportedEntry> {
      yield entry('k0')
      setTimeout(() => abort.abort(new Error('interrupted')), 10)
      await new Promise(() => {})
    }
    const file = tmp.path('stalled.jsonl')
    await expect(writeSnapshot(stalled(), file, { signal: abort.signal })).rejects.toThrow('interrupted')
    expect((await readdir(await tmp.ready)).filter((name) => name.startsWith('stalled'))).toEqual([])
  })

  it('writes the file whole when nothing fails', async () => {
    const file = tmp.path('fine.jsonl')
    expect(await writeSnapshot(slowEntries(3), file)).toMatchObject({ entries: 3 })
    expect(await readdir(await tmp.ready)).toContain('fine.jsonl')
  })
})
