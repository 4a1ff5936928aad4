import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'
import { publishStats } from '@cache/ops'
import { findFreePort, PATIENT_REMOTE, until, useRedis } from '@cache/test-utils'
import { KeyvSqlite } from '@keyv/sqlite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CACHECTL, hasTerminalControls, runCli, runMain } from './run-cli.js'

const redis = useRedis()
let dir: string
let store: RedisStore
const stores: RedisStore[] = []

async function openStore(sub: string): Promise<RedisStore> {
  const s = new RedisStore({ url: redis.url, keyPrefix: `${redis.prefix}${sub}:` })
  stores.push(s)
  await s.ready()
  return s
}

/**
 * Runs cachectl against this file's Redis, under key prefix `<file prefix><sub>:`. In this
 * process: a child process per command costs a Node start plus loading ioredis and the core
 * (about 0.3 s of CPU each), which on a busy 2-core machine turned a few commands into 30 s.
 * The launcher and a real process are tested once, below (Redis unreachable).
 */
function cli(sub: string, ...args: string[]) {
  return runMain([...args, '--redis', redis.url, '--prefix', `${redis.prefix}${sub}:`])
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cachectl-'))
  store = await openStore('main')
  const cache = createCache({ namespace: 'app', store, memory: false, remote: PATIENT_REMOTE })
  await cache.set(
    'user:1',
    { name: 'Ada', born: new Date(Date.UTC(1815, 11, 10)) },
    { tags: ['user:1'], ttl: '1h' },
  )
  await cache.set('user:2', { name: 'Alan' }, { tags: ['user:2'] })
  await cache.namespace('emb').set('hello', new Float32Array([0.5, -1]), { ttl: 'forever' })
  await cache.get('missing')
  publishStats(cache, store, { instance: 'test', interval: 60_000 })()
})

afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()))
  await rm(dir, { recursive: true, force: true })
})

describe('cachectl', () => {
  it('fails fast with a clear message when Redis is unreachable', async () => {
    const port = await findFreePort()
    const started = Date.now()
    const r = await runCli(['stats', '--redis', `redis://127.0.0.1:${port}`, '--connect-timeout', '500'])
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(new RegExp(`cannot reach Redis at redis://127.0.0.1:${port}.*ECONNREFUSED`))
    // A process start, then about --connect-timeout: far below runCli's 60 s kill of a hung one,
    // with room for a Node start on a busy machine.
    expect(Date.now() - started).toBeLessThan(15_000)
  })

  it('stats: server facts, entries by namespace, published counters', async () => {
    const text = await cli('main', 'stats', '--namespace', 'app')
    expect(text.code).toBe(0)
    expect(text.stdout).toMatch(/^redis\s+\d+\.\d+/m)
    expect(text.stdout).toMatch(/^entries\s+3 in namespace app$/m)
    expect(text.stdout).toMatch(/counters\s+1 process: hits 0, stale 0, misses 1/)
    const json = JSON.parse((await cli('main', 'stats', '--namespace', 'app/emb', '--json')).stdout)
    expect(json).toMatchObject({ entries: 1, namespace: 'app/emb', redis: { servers: 1 } })
  })

  it('keys: a SCAN sample, with details on request', async () => {
    const all = await cli('main', 'keys', '--namespace', 'app')
    expect(all.stdout.trim().split('\n').sort()).toEqual(['app/emb:hello', 'app:user:1', 'app:user:2'])
    const limited = await cli('main', 'keys', '--limit', '1')
    expect(limited.stdout.trim().split('\n')).toHaveLength(1)
    const long = await cli('main', 'keys', '--match', 'app:user:1', '--long')
    expect(long.stdout).toMatch(/^app:user:1\tttl 5\dm \d+s\t\d+ B\ttags user:1$/m)
    const json = JSON.parse((await cli('main', 'keys', '--namespace', 'app', '--json')).stdout)
    expect(json.keys.map((k: { key: string }) => k.key).sort()).toEqual([
      'app/emb:hello',
      'app:user:1',
      'app:user:2',
    ])
    const longJson = JSON.parse((await cli('main', 'keys', '--match', 'app*', '--long', '--json')).stdout)
    expect(longJson.keys.find((k: { key: string }) => k.key === 'app:user:1')).toEqual({
      key: 'app:user:1',
      ttlMs: expect.any(Number),
      size: expect.any(Number),
      tags: ['user:1'],
    })
    expect(longJson.keys.find((k: { key: string }) => k.key === 'app/emb:hello')).toMatchObject({
      ttlMs: null,
    })
  })

  it('inspect: the decoded envelope of one entry', async () => {
    const r = await cli('main', 'inspect', 'user:1', '--namespace', 'app')
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^state\s+fresh$/m)
    expect(r.stdout).toMatch(/^tags\s+user:1$/m)
    expect(r.stdout).toMatch(/^codec\s+v1$/m)
    expect(r.stdout).toMatch(/^value\s+Object \{ name: 'Ada', born: 1815-12-10T00:00:00.000Z \}$/m)
    const json = JSON.parse((await cli('main', 'inspect', 'app/emb:hello', '--json')).stdout)
    expect(json).toMatchObject({ ttlMs: null, expiresAt: null, valueType: 'Float32Array', codecVersion: 1 })
    // Real JSON values: binary as base64 (the snapshot's encoding), objects as objects.
    expect(json.value).toEqual({ $type: 'Float32Array', base64: 'AAAAPwAAgL8=' })
    const user = JSON.parse((await cli('main', 'inspect', 'user:1', '-n', 'app', '--json')).stdout)
    expect(user.value).toEqual({ name: 'Ada', born: { $type: 'Date', value: '1815-12-10T00:00:00.000Z' } })
    const missing = await cli('main', 'inspect', 'app:nope')
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('no entry under "app:nope"') })
  })

  it('clear: refuses without a terminal or --yes; clears by namespace, tag and pattern', async () => {
    const s = await openStore('clear')
    const cache = createCache({ namespace: 'app', store: s, memory: false, remote: PATIENT_REMOTE })
    const fill = () =>
      cache.setMany([
        { key: 'a', value: 1, tags: ['t'] },
        { key: 'b', value: 2 },
        { key: 'x:1', value: 3 },
      ])
    await fill()
    await cache.namespace('child').set('c', 4)
    const refused = await cli('clear', 'clear', '--namespace', 'app')
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('pass --yes')
    expect(await cache.get('a')).toBe(1)

    expect((await cli('clear', 'clear', '--namespace', 'app', '--dry-run')).stdout).toContain(
      'would delete 4 keys',
    )
    const dryJson = await cli('clear', 'clear', '--pattern', 'app:x:*', '--dry-run', '--json')
    expect(JSON.parse(dryJson.stdout)).toEqual({
      mode: 'pattern',
      namespace: null,
      tags: null,
      pattern: 'app:x:*',
      dryRun: true,
      matched: 1,
      deleted: 0,
    })
    expect((await cli('clear', 'clear', '--tag', 't')).code).toBe(2) // a tag needs its root namespace
    const byTag = await cli('clear', 'clear', '--tag', 't', '--namespace', 'app', '--yes', '--json')
    expect(byTag.code).toBe(0)
    expect(JSON.parse(byTag.stdout)).toMatchObject({ mode: 'tag', tags: ['t'], dryRun: false, deleted: 1 })
    expect(await cache.get('a')).toBeUndefined()
    expect(await cache.get('b')).toBe(2)

    // A cached HTTP response keeps its path tag as a stamp, in no tag set: the count cannot see
    // it, and the clear must still run and drop it.
    const load = await s.beginLoad('app:http:/list', ['app:path:/list'], ['app:'], undefined)
    await s.setFenced(
      'app:http:/list',
      Buffer.from('a response'),
      60_000,
      ['app:path:/list'],
      load.fence,
      undefined,
      ['app:path:/list'],
    )
    expect(await s.get('app:http:/list')).toBeDefined()
    const dryStamp = await cli('clear', 'clear', '--tag', 'path:/list', '--namespace', 'app', '--dry-run')
    expect(dryStamp.stdout).toContain(
      'would delete up to 0 keys tagged path:/list in namespace app, plus any',
    )
    const byStamp = await cli('clear', 'clear', '--tag', 'path:/list', '--namespace', 'app', '--yes')
    expect(byStamp.code).toBe(0)
    expect(byStamp.stdout).toContain('deleted 0 entries tagged path:/list in namespace app, plus any')
    expect(await s.get('app:http:/list')).toBeUndefined()

    const byPattern = await cli('clear', 'clear', '--pattern', 'app:x:*', '--yes')
    expect(byPattern.stdout).toContain('deleted 1 keys matching app:x:*')
    expect(await cache.get('x:1')).toBeUndefined()

    // The stamped response stays in Redis, unread, until its TTL: a namespace clear removes it.
    const all = await cli('clear', 'clear', '--namespace', 'app', '--yes')
    expect(all.stdout).toContain('deleted 3 keys in namespace app')
    expect(await cache.namespace('child').get('c')).toBeUndefined()
  })

  it('export then import into another prefix; plain output, no progress bar without a TTY', async () => {
    const file = join(dir, 'snap.jsonl')
    const exported = await cli('main', 'export', '--out', file, '--namespace', 'app')
    expect(exported).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^exported 3 entries \(.+\) to /),
    })
    expect(exported.stderr).toBe('')
    const lines = (await readFile(file, 'utf8')).trim().split('\n')
    expect(JSON.parse(lines[0]!)).toMatchObject({
      format: 'cache-snapshot',
      source: 'redis',
      namespace: 'app',
    })

    const imported = await cli('copy', 'import', '--in', file)
    expect(imported.code).toBe(0)
    expect(imported.stdout).toMatch(/^imported 3 entries into .*, skipped 0$/m)
    for (const r of [exported, imported]) expect(hasTerminalControls(r.stdout + r.stderr)).toBe(false)
    const copy = createCache({
      namespace: 'app',
      store: await openStore('copy'),
      memory: false,
      remote: PATIENT_REMOTE,
    })
    expect(await copy.namespace('emb').get('hello')).toEqual(new Float32Array([0.5, -1]))
    expect(await copy.get('user:1')).toEqual({ name: 'Ada', born: new Date(Date.UTC(1815, 11, 10)) })

    const again = await cli('copy', 'import', '--in', file)
    expect(again.stdout).toMatch(/imported 0 entries .*skipped 3 \(exists: 3\)/)

    const plain = await cli('copy2', 'import', '--in', file, '--progress', 'plain')
    expect(plain.code).toBe(0)
  })

  it('export: Ctrl-C stops it, removes the unfinished file and exits 130', async () => {
    const big = createCache({
      namespace: 'big',
      store: await openStore('big'),
      memory: false,
      remote: PATIENT_REMOTE,
    })
    for (let start = 0; start < 60_000; start += 5000) {
      const items = Array.from({ length: 5000 }, (_, i) => ({
        key: `k${start + i}`,
        value: { n: start + i, pad: 'x'.repeat(100) },
      }))
      await big.setMany(items)
    }
    const file = join(dir, 'interrupted.jsonl')
    const args = ['export', '--out', file, '--redis', redis.url, '--prefix', `${redis.prefix}big:`]
    const child = spawn(process.execPath, [CACHECTL, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (chunk) => (stderr += chunk))
    const exited = once(child, 'exit')
    const ours = async () => (await readdir(dir)).filter((name) => name.startsWith('interrupted'))
    // The export is under way once its temporary file exists.
    await until(async () => (await ours()).some((name) => name.endsWith('.tmp')), {
      interval: 2,
      message: 'the export never started its file',
    })
    child.kill('SIGINT')
    const [code] = await exited
    expect({ code, stderr }).toMatchObject({
      code: 130,
      stderr: expect.stringMatching(/interrupted, no file written/),
    })
    expect(await ours()).toEqual([])
  })

  it('import refuses a malformed file whole, or imports the valid lines with --skip-invalid', async () => {
    const good = await readFile(join(dir, 'snap.jsonl'), 'utf8').catch(async () => {
      await cli('main', 'export', '--out', join(dir, 'snap.jsonl'))
      return readFile(join(dir, 'snap.jsonl'), 'utf8')
    })
    const bad = join(dir, 'bad.jsonl')
    const [header, ...entries] = good.trim().split('\n')
    await writeFile(
      bad,
      [header, entries[0], '{"key":"app:z","data":"AAAA"}', '{oops', ...entries.slice(1)].join('\n'),
    )
    const refused = await cli('bad', 'import', '--in', bad)
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain('2 malformed lines of 5')
    expect(refused.stderr).toMatch(/line 3: "data" is not a cache entry/)
    expect(refused.stderr).toMatch(/line 4: invalid JSON/)
    expect(refused.stderr).toContain('nothing imported')
    expect((await cli('bad', 'keys')).stdout).toBe('')

    const skipped = await cli('bad', 'import', '--in', bad, '--skip-invalid')
    expect(skipped.code).toBe(1) // partial
    expect(skipped.stdout).toMatch(/imported 3 entries/)
    expect(skipped.stderr).toContain('2 malformed lines left out')

    const notSnapshot = join(dir, 'not.jsonl')
    await writeFile(notSnapshot, 'hello\n')
    expect(await cli('bad', 'import', '--in', notSnapshot)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not a snapshot'),
    })
    expect((await cli('bad', 'import', '--in', join(dir, 'missing.jsonl'))).code).toBe(1)
  })

  it('sync: a laptop SQLite store and Redis, printing "N pulled, M pushed"', async () => {
    const sqlite = `sqlite://${join(dir, 'laptop.sqlite')}`
    // sync never creates a database (a mistyped path must not read as an empty store): start one.
    const laptop = new KeyvSqlite(sqlite)
    await laptop.get('x')
    await laptop.disconnect()
    const pushed = await runMain([
      'sync',
      '--from',
      `redis://${redis.url.slice(8)}`,
      '--to',
      sqlite,
      '--prefix',
      `${redis.prefix}main:`,
    ])
    expect(pushed.code).toBe(0)
    expect(pushed.stdout).toMatch(/^0 pulled, 3 pushed, 0 skipped, 0 already on both sides$/m)
    const s = await openStore('sync')
    await createCache({ namespace: 'app', store: s, memory: false, remote: PATIENT_REMOTE }).set(
      'server-only',
      1,
    )
    const both = await runMain([
      'sync',
      '--from',
      sqlite,
      '--to',
      redis.url,
      '--prefix',
      `${redis.prefix}sync:`,
      '--direction',
      'both',
    ])
    expect(both.stdout).toMatch(/^1 pulled, 3 pushed, 0 skipped, 0 already on both sides$/m)
    const file = join(dir, 'sync.jsonl')
    const toFile = await runMain(['sync', '--from', sqlite, '--to', file, '--dry-run'])
    expect(toFile.stdout).toMatch(/^dry run: would copy 0 pulled, 4 pushed/m)
    expect(await runMain(['sync', '--from', 'ftp://x', '--to', file])).toMatchObject({ code: 2 })
  })
})
