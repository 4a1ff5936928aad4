import { readdir, readFile, writeFile } from 'node:fs/promises'
import { createCache, isCacheError } from '@cache/core'
import { encodeEntry } from '@cache/core/layout'
import { assertExact } from '@cache/test-utils'
import { beforeAll, describe, expect, it } from 'vitest'
import { exportEntries } from './export-entries.js'
import { importEntries } from './import-entries.js'
import { everyValueKind, keyvMemoryStore, useTempDir } from './ops-test-helpers.js'
import { exportSnapshot, importSnapshot } from './snapshot-ops.js'
import { readSnapshot, validateSnapshot } from './snapshot-reader.js'
import { writeSnapshot } from './snapshot-writer.js'

const tmp = useTempDir()
beforeAll(() => tmp.ready)

async function filled() {
  const store = keyvMemoryStore()
  const cache = createCache({ namespace: 'app', store, memory: false, compressThreshold: 1024 })
  const values = everyValueKind()
  for (const [name, value] of Object.entries(values)) await cache.set(name, value, { tags: [`kind:${name}`] })
  await cache.namespace('child').set('forever', 'x', { ttl: 'forever', tags: ['t'] })
  return { store, cache, values }
}

describe('snapshot files', () => {
  it('round-trips every value kind the codec supports through a file, byte for byte', async () => {
    const { store, values } = await filled()
    const file = tmp.path('all.jsonl')
    const out = await exportSnapshot(store, file, { namespace: 'app' })
    expect(out.entries).toBe(Object.keys(values).length + 1)

    const target = keyvMemoryStore()
    const result = await importSnapshot(target, file)
    expect(result).toMatchObject({ imported: out.entries, skipped: 0, invalidLines: 0 })
    const cache = createCache({ namespace: 'app', store: target, memory: false })
    for (const [name, value] of Object.entries(values)) {
      assertExact(await cache.get(name), value)
    }
    expect(await cache.namespace('child').get('forever')).toBe('x')
    // The same envelope bytes, so createdAt and the compressed flag survive too.
    for (const key of ['app:large', 'app:buffer']) {
      expect(Buffer.from((await target.get(key))!)).toEqual(Buffer.from((await store.get(key))!))
    }
  })

  it('writes a versioned header, then one entry a line with its TTL and tags readable', async () => {
    const { store } = await filled()
    const file = tmp.path('header.jsonl')
    await exportSnapshot(store, file, { namespace: 'app/child' })
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n')
    expect(JSON.parse(lines[0]!)).toMatchObject({
      format: 'cache-snapshot',
      version: 1,
      codecVersion: 1,
      namespace: 'app/child',
    })
    expect(lines).toHaveLength(2)
    expect(JSON.parse(lines[1]!)).toMatchObject({
      key: 'app/child:forever',
      expiresAt: null,
      tags: ['t'],
      codec: 1,
    })
  })

  it('keeps tags working after an import: invalidateTags removes the imported entry', async () => {
    const { store } = await filled()
    const target = keyvMemoryStore()
    await importEntries(target, exportEntries(store, { namespace: 'app' }))
    const cache = createCache({ namespace: 'app', store: target, memory: false })
    expect(await cache.get('int')).toBe(2147483647)
    await cache.invalidateTags(['kind:int'])
    expect(await cache.get('int')).toBeUndefined()
    expect(await cache.get('float')).toBe(0.1 + 0.2)
  })

  it('rejects a malformed line by number, or skips and reports it', async () => {
    const { store } = await filled()
    const file = tmp.path('bad.jsonl')
    await exportSnapshot(store, file, { namespace: 'app/child' })
    const good = await readFile(file, 'utf8')
    await writeFile(file, `${good}{"key":"app:x","data":"!!!"}\nnot json\n${good.split('\n')[1]}\n`)

    const target = keyvMemoryStore()
    await expect(importSnapshot(target, file)).rejects.toThrow(/bad\.jsonl:3: "data" must be the base64/)
    const skipped = await importSnapshot(keyvMemoryStore(), file, { invalidLines: 'skip' })
    expect(skipped.invalidLines).toBe(2)
    expect(skipped.problems.map((p) => p.line)).toEqual([3, 4])
    expect(skipped.problems[1]!.reason).toMatch(/invalid JSON/)
    expect(skipped.imported).toBe(1)
    // The duplicate line of an existing key is kept out, not overwritten.
    expect(skipped.skippedBy.exists).toBe(1)

    const check = await validateSnapshot(file)
    expect(check).toMatchObject({ entries: 2, invalid: 2 })
  })

  it('finds a corrupted value section with full validation', async () => {
    const bytes = encodeEntry({
      value: 'abcdef',
      createdAt: 1,
      expiresAt: Infinity,
      staleUntil: Infinity,
      tags: [],
    })
    // Drop the last byte: the header still reads, the value section does not.
    const file = tmp.path('corrupt.jsonl')
    const header = '{"format":"cache-snapshot","version":1,"codecVersion":1}'
    await writeFile(
      file,
      `${header}\n${JSON.stringify({ key: 'app:k', data: bytes.subarray(0, -1).toString('base64') })}\n`,
    )
    expect((await validateSnapshot(file)).invalid).toBe(1)
  })

  it('refuses a file that is not a snapshot, a newer layout, or a missing file', async () => {
    const file = tmp.path('not.jsonl')
    await writeFile(file, '{"hello":1}\n')
    await expect(importSnapshot(keyvMemoryStore(), file)).rejects.toThrow(/not a snapshot/)
    await writeFile(file, '{"format":"cache-snapshot","version":9}\n')
    await expect(importSnapshot(keyvMemoryStore(), file)).rejects.toThrow(/version 9 is not supported/)
    const missing = importSnapshot(keyvMemoryStore(), tmp.path('missing.jsonl'))
    await expect(missing).rejects.toSatisfy(
      (e) => isCacheError(e) && /does not exist/.test((e as Error).message),
    )
  })

  it('skips and counts entries of another codec version, expired entries and foreign bytes', async () => {
    const now = Date.now()
    const future = encodeEntry({
      value: 1,
      createdAt: now,
      expiresAt: now + 60_000,
      staleUntil: now + 60_000,
      tags: [],
    })
    future[2] = 2
    const expired = encodeEntry({
      value: 1,
      createdAt: now - 10,
      expiresAt: now - 5,
      staleUntil: now - 1,
      tags: [],
    })
    const stale = encodeEntry({
      value: 'stale',
      createdAt: now - 10,
      expiresAt: now - 5,
      staleUntil: now + 60_000,
      tags: [],
    })
    const skips: string[] = []
    const target = keyvMemoryStore()
    const result = await importEntries(
      target,
      [
        { key: 'app:future', bytes: future },
        { key: 'app:expired', bytes: expired },
        { key: 'app:foreign', bytes: Buffer.from('{"json":true}') },
        { key: 'app:stale', bytes: stale },
      ],
      { onSkip: (e) => skips.push(`${e.key}:${e.reason}`) },
    )
    expect(result).toMatchObject({ processed: 4, imported: 1, skipped: 3 })
    expect(skips).toEqual(['app:future:codec', 'app:expired:expired', 'app:foreign:invalid'])
    // A stale entry (within grace) is still worth moving: it can be served stale.
    expect(await target.get('app:stale')).toBeDefined()
  })

  it('streams: reading a snapshot yields entries one by one with their line numbers', async () => {
    const { store } = await filled()
    const file = tmp.path('stream.jsonl')
    await exportSnapshot(store, file, { namespace: 'app' })
    const lines: number[] = []
    for await (const record of readSnapshot(file)) lines.push(record.line)
    expect(lines[0]).toBe(2)
    expect(lines.at(-1)).toBe(lines.length + 1)
  })

  it('imports into a Cache through its API, under its namespace only', async () => {
    const { store } = await filled()
    const target = createCache({ namespace: 'app' })
    const other = createCache({ namespace: 'other' })
    const entries = () => exportEntries(store, { namespace: 'app' })
    const result = await importEntries(target, entries())
    expect(result.skipped).toBe(0)
    assertExact(await target.get('map'), everyValueKind().map)
    expect(await target.namespace('child').get('forever')).toBe('x')
    const refused = await importEntries(other, entries())
    expect(refused.imported).toBe(0)
    expect(refused.skippedBy.namespace).toBe(refused.processed)
    // overwrite: false keeps what the cache holds
    await target.set('int', 5)
    const again = await importEntries(target, entries())
    // Only the entry holding `undefined` is written again: through the Cache API a stored
    // `undefined` reads like a miss.
    expect(again.imported).toBe(1)
    expect(again.skippedBy.exists).toBe(again.processed - 1)
    expect(await target.get('int')).toBe(5)
    await importEntries(target, entries(), { overwrite: true })
    expect(await target.get('int')).toBe(2147483647)
  })

  it('skips an entry whose value does not decode when importing into a Cache', async () => {
    const good = encodeEntry({
      value: 'abcdef',
      createdAt: 1,
      expiresAt: Infinity,
      staleUntil: Infinity,
      tags: [],
    })
    const cache = createCache({ namespace: 'app' })
    const result = await importEntries(cache, [
      { key: 'app:bad', bytes: good.subarray(0, -1) },
      { key: 'app:good', bytes: good },
    ])
    expect(result).toMatchObject({ imported: 1, skippedBy: { invalid: 1 } })
    expect(await cache.get('good')).toBe('abcdef')
  })

  it('exports decoded values on request', async () => {
    const { store } = await filled()
    const seen = new Map<string, unknown>()
    for await (const e of exportEntries(store, { namespace: 'app', decode: true })) seen.set(e.key, e.value)
    assertExact(seen.get('app:bigint64'), everyValueKind().bigint64)
  })

  it('leaves no file and no temporary file when the source fails while a write is in flight', async () => {
    const file = tmp.path('failed.jsonl')
    // Fails at the first pull, while the header line is still being written to the file.
    const failing: AsyncIterable<never> = {
      [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(new Error('source died')) }),
    }
    await expect(writeSnapshot(failing, file)).rejects.toThrow('source died')
    expect((await readdir(await tmp.ready)).filter((name) => name.startsWith('failed.jsonl'))).toEqual([])
  })
})
