import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCache } from '@cache/core'
import { KeyvStore } from '@cache/core/keyv'
import { exportSnapshot } from '@cache/ops'
import { Keyv } from 'keyv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'

let dir: string
let snapshot: string

/** Runs cachectl in this file's temporary directory, so relative sqlite:// paths land there. */
const cli = (...args: string[]) => runCli(args, {}, { cwd: dir })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cachectl-sqlite-'))
  const store = new KeyvStore(new Keyv())
  const cache = createCache({ namespace: 'app', store, memory: false })
  await cache.setMany([
    { key: 'a', value: 1 },
    { key: 'b', value: 2 },
  ])
  snapshot = join(dir, 'two.jsonl')
  await exportSnapshot(store, snapshot)
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('cachectl with sqlite:// stores', () => {
  it('export from a mistyped path fails and creates no database', async () => {
    const r = await cli('export', '--store', 'sqlite://./typo.sqlite', '-o', 'typo.jsonl')
    expect(r).toMatchObject({ code: 1, stdout: '' })
    expect(r.stderr).toContain('no SQLite database at ./typo.sqlite')
    expect(existsSync(join(dir, 'typo.sqlite'))).toBe(false)
    expect(existsSync(join(dir, 'typo.jsonl'))).toBe(false)
  })

  it('export from a path in a missing directory fails cleanly, leaving no file and no temp file', async () => {
    const r = await cli('export', '--store', 'sqlite://./missing-dir/x.sqlite', '-o', 's.jsonl')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^cachectl export: no SQLite database at \.\/missing-dir\/x\.sqlite/)
    expect(r.stderr).not.toContain('ERR_STREAM_DESTROYED')
    expect((await readdir(dir)).filter((f) => f.startsWith('s.jsonl'))).toEqual([])
    expect(existsSync(join(dir, 'missing-dir'))).toBe(false)
  })

  it('sync to or from a missing file fails without creating it', async () => {
    for (const [from, to] of [
      ['sqlite://./nope-from.sqlite', snapshot],
      [snapshot, 'sqlite://./nope-to.sqlite'],
    ]) {
      const r = await cli('sync', '--from', from!, '--to', to!)
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toContain('no SQLite database at ./nope-')
    }
    expect((await readdir(dir)).filter((f) => f.startsWith('nope-'))).toEqual([])
  })

  it('import creates a new database (a dry run creates nothing), which export then reads', async () => {
    const dry = await cli('import', '--in', snapshot, '--store', 'sqlite://./new.sqlite', '--dry-run')
    expect(dry).toMatchObject({ code: 0, stdout: expect.stringMatching(/^would import 2 entries/) })
    expect(existsSync(join(dir, 'new.sqlite'))).toBe(false)

    const created = await cli('import', '--in', snapshot, '--store', 'sqlite://./new.sqlite')
    expect(created).toMatchObject({ code: 0, stdout: expect.stringMatching(/^imported 2 entries/) })
    expect(existsSync(join(dir, 'new.sqlite'))).toBe(true)
    const back = await cli('export', '--store', 'sqlite://./new.sqlite', '-o', 'back.jsonl')
    expect(back).toMatchObject({ code: 0, stdout: expect.stringMatching(/^exported 2 entries/) })
    const again = await cli('import', '--in', snapshot, '--store', 'sqlite://./new.sqlite', '--json')
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout)).toEqual({
      file: snapshot,
      target: 'sqlite://./new.sqlite',
      dryRun: false,
      imported: 0,
      skipped: 2,
      skippedBy: expect.objectContaining({ exists: 2 }),
      invalidLines: 0,
      problems: [],
    })

    const noOutDir = await cli('export', '--store', 'sqlite://./new.sqlite', '-o', 'no-dir/x.jsonl')
    expect(noOutDir.code).toBe(1)
    expect(noOutDir.stderr).toBe(
      'cachectl export: cannot write no-dir/x.jsonl: directory no-dir does not exist\n',
    )

    const noDir = await cli('import', '--in', snapshot, '--store', 'sqlite://./no-dir/new.sqlite')
    expect(noDir).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('directory ./no-dir does not exist'),
    })
  })

  it('a file that is not a SQLite database, or a directory, is an error', async () => {
    await writeFile(
      join(dir, 'text.sqlite'),
      'not a database, just text that is long enough to have a header\n',
    )
    await mkdir(join(dir, 'folder.sqlite'))
    for (const spec of ['sqlite://./text.sqlite', 'sqlite://./folder.sqlite']) {
      const r = await cli('export', '--store', spec, '-o', 'x.jsonl')
      expect(r.code, r.stderr).toBe(1)
      expect(r.stderr).toContain(`cannot open ${spec}`)
    }
    expect(existsSync(join(dir, 'x.jsonl'))).toBe(false)
  })

  it('--json: export, sync and a partial import (exit 1) print one JSON document', async () => {
    await cli('import', '--in', snapshot, '--store', 'sqlite://./json.sqlite')
    const exported = await cli('export', '--store', 'sqlite://./json.sqlite', '-o', 'json.jsonl', '--json')
    expect(exported.code, exported.stderr).toBe(0)
    expect(JSON.parse(exported.stdout)).toEqual({
      file: 'json.jsonl',
      source: 'sqlite://./json.sqlite',
      entries: 2,
      bytes: expect.any(Number),
      skipped: 0,
      skippedBy: expect.any(Object),
    })

    const synced = await cli(
      'sync',
      '--from',
      'sqlite://./json.sqlite',
      '--to',
      'other.jsonl',
      '--dry-run',
      '--json',
    )
    expect(synced.code, synced.stderr).toBe(0)
    expect(JSON.parse(synced.stdout)).toMatchObject({
      from: 'sqlite://./json.sqlite',
      to: 'other.jsonl',
      direction: 'push',
      dryRun: true,
      pulled: 0,
      pushed: 2,
      skipped: 0,
      unchanged: 0,
    })

    const [header, ...entries] = (await readFile(snapshot, 'utf8')).trim().split('\n')
    await writeFile(join(dir, 'damaged.jsonl'), [header, entries[0], '{oops', entries[1]].join('\n'))
    const partial = await cli(
      'import',
      '--in',
      'damaged.jsonl',
      '--store',
      'sqlite://./partial.sqlite',
      '--skip-invalid',
      '--json',
    )
    expect(partial.code).toBe(1)
    expect(JSON.parse(partial.stdout)).toMatchObject({
      imported: 2,
      invalidLines: 1,
      problems: [{ line: 3, reason: expect.stringContaining('invalid JSON') }],
    })
  })
})
