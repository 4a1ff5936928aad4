import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * `npm run release:version` (scripts/version-packages.mjs) on a throwaway repository shaped like
 * ours: `a` at 0.1.0, `b` at 0.1.0 and `c` at 1.0.0 taking `a` as a peer, one changeset asking a
 * minor of `a`. Plain changesets would release `b` as 1.0.0.
 */

const run = promisify(execFile)
const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const script = join(root, 'scripts/version-packages.mjs')
let repo = ''

async function writeJson(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`)
}

const readJson = async (path: string) => JSON.parse(await readFile(join(repo, path), 'utf8'))

beforeAll(async () => {
  repo = await mkdtemp(join(tmpdir(), 'cache-version-'))
  await writeJson(join(repo, 'package.json'), { name: 'fixture', private: true, workspaces: ['packages/*'] })
  await writeJson(join(repo, 'packages/a/package.json'), { name: 'a', version: '0.1.0' })
  for (const [name, version] of [
    ['b', '0.1.0'],
    ['c', '1.0.0'],
  ]) {
    await writeJson(join(repo, `packages/${name}/package.json`), {
      name,
      version,
      peerDependencies: { a: '^0.1.0' },
      devDependencies: { a: '*' },
    })
  }
  // The repository's own configuration, changelog writer included.
  await mkdir(join(repo, '.changeset'))
  await writeFile(join(repo, '.changeset/config.json'), await readFile(join(root, '.changeset/config.json')))
  await writeFile(join(repo, '.changeset/a-feature.md'), "---\n'a': minor\n---\n\nA feature of a.\n")
  const git = (...args: string[]) =>
    run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', ...args], { cwd: repo })
  await git('init', '-q', '-b', 'main')
  await git('add', '.')
  await git('commit', '-q', '-m', 'fixture')
})

afterAll(async () => {
  if (repo) await rm(repo, { recursive: true, force: true })
})

describe('scripts/version-packages.mjs', () => {
  it('--dry plans a 0.x peer dependent as a minor, a 1.x one as a major, and writes nothing', async () => {
    const { stdout } = await run(process.execPath, [script, '--dry'], { cwd: repo })
    expect(stdout.trim().split('\n').sort()).toEqual([
      'a: 0.1.0 -> 0.2.0 (minor)',
      'b: 0.1.0 -> 0.2.0 (minor)',
      'c: 1.0.0 -> 2.0.0 (major)',
    ])
    expect((await readJson('packages/b/package.json')).version).toBe('0.1.0')
  })

  it('applies the plan: versions, peer ranges and changelogs', async () => {
    await run(process.execPath, [script], { cwd: repo })
    expect((await readJson('packages/a/package.json')).version).toBe('0.2.0')
    const b = await readJson('packages/b/package.json')
    expect(b.version).toBe('0.2.0')
    expect(b.peerDependencies).toEqual({ a: '^0.2.0' })
    expect((await readJson('packages/c/package.json')).version).toBe('2.0.0')
    expect(await readFile(join(repo, 'packages/a/CHANGELOG.md'), 'utf8')).toMatch(
      /## 0\.2\.0[\s\S]*A feature of a\./,
    )
    expect(await readFile(join(repo, 'packages/b/CHANGELOG.md'), 'utf8')).toMatch(
      /## 0\.2\.0[\s\S]*a@0\.2\.0/,
    )
  })
})
