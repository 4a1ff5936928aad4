import { existsSync } from 'node:fs'
import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeSnapshot } from '@cache/ops/tooling'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runCli } from './run-cli.js'

const pkgDir = fileURLToPath(new URL('..', import.meta.url))
let root: string
let bin: string

/**
 * An install of @cache/cli without its optional peer: the built package copied (not linked, so
 * module resolution starts from the copy) into a fresh node_modules, next to its dependencies.
 */
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cachectl-no-sqlite-'))
  const installed = join(root, 'node_modules', '@cache', 'cli')
  for (const part of ['bin', 'dist', 'package.json']) {
    await cp(join(pkgDir, part), join(installed, part), { recursive: true })
  }
  const manifest = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'))
  for (const dep of Object.keys(manifest.dependencies)) {
    const target = await realpath(packageDir(dep))
    await mkdir(dirname(join(root, 'node_modules', dep)), { recursive: true })
    await symlink(target, join(root, 'node_modules', dep), 'dir')
  }
  bin = join(installed, 'bin', 'cachectl.js')
})

/** Where `name` is installed for this package: the first node_modules above it that has it. */
function packageDir(name: string): string {
  for (let dir = pkgDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return join(dir, 'node_modules', name)
    if (dirname(dir) === dir) throw new Error(`${name} is not installed`)
  }
}

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

describe('@keyv/sqlite, an optional peer', () => {
  it('is not a dependency, so Redis users never install it', async () => {
    const manifest = JSON.parse(await readFile(join(pkgDir, 'package.json'), 'utf8'))
    expect(manifest.dependencies).not.toHaveProperty('@keyv/sqlite')
    expect(manifest.peerDependencies).toHaveProperty('@keyv/sqlite')
    expect(manifest.peerDependenciesMeta['@keyv/sqlite']).toEqual({ optional: true })
  })

  it('missing, sqlite:// fails with exit 2 naming the package, and everything else still runs', async () => {
    // The premise: from the copy, nothing resolves @keyv/sqlite (no node_modules above it has one).
    expect(() => createRequire(bin).resolve('@keyv/sqlite')).toThrow(/Cannot find module/)
    const env = { NODE_PATH: '' }
    const empty = join(root, 'empty.jsonl')
    await writeSnapshot([], empty)
    const help = await runCli(['--help'], env, { bin, cwd: root })
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toContain('Usage: cachectl')
    const redis = await runCli(['stats', '--redis', 'redis://127.0.0.1:1', '--connect-timeout', '300'], env, {
      bin,
      cwd: root,
    })
    expect(redis).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot reach Redis') })

    for (const args of [
      ['export', '--store', 'sqlite://./cache.sqlite', '--out', 'x.jsonl'],
      ['import', '--store', 'sqlite://./cache.sqlite', '--in', empty],
      ['sync', '--from', 'sqlite://./cache.sqlite', '--to', 'y.jsonl'],
    ]) {
      const r = await runCli(args, env, { bin, cwd: root })
      expect(r.code, r.stderr).toBe(2)
      expect(r.stderr).toContain('sqlite:// stores need the optional package @keyv/sqlite')
      expect(r.stderr).toContain('npm install @keyv/sqlite')
    }
  })
})
