import { execFile, spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from '../run-cli.js'

const CAPTURE_ZSH = fileURLToPath(new URL('./capture-zsh-completion.zsh', import.meta.url))
const hasZsh = spawnSync('zsh', ['--version']).status === 0
// CI installs zsh (.ci/run), so there a missing zsh fails the test instead of skipping it.
const withZsh = hasZsh || process.env.CI ? it : it.skip

let dir: string
const scripts: Record<'bash' | 'zsh', string> = { bash: '', zsh: '' }

function run(file: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr })
    })
  })
}

/** What the bash function offers for `words`, the last one being completed (in `dir`). */
async function bashOffers(...words: string[]): Promise<string[]> {
  const program = [
    'source "$0"',
    'COMP_WORDS=("$@")',
    'COMP_CWORD=$(( $# - 1 ))',
    '_cachectl',
    `printf '%s\\n' "\${COMPREPLY[@]}"`,
  ].join('; ')
  const r = await run('bash', ['-c', program, scripts.bash, ...words])
  expect(r.stderr).toBe('')
  return r.stdout.split('\n').filter(Boolean).sort()
}

/** What zsh offers when TAB is pressed after each of `lines` (in `dir`), by line. */
async function zshOffers(...lines: string[]): Promise<Record<string, string[]>> {
  // One interactive zsh for all lines: compinit is what takes time.
  const r = await run('zsh', ['-f', CAPTURE_ZSH, scripts.zsh, ...lines])
  const offers: Record<string, string[]> = {}
  let current: string[] = []
  for (const text of r.stdout.split('\n').filter(Boolean)) {
    const heading = /^<(.*)>$/.exec(text)
    if (heading) offers[heading[1]!] = current = []
    else current.push(text)
  }
  for (const list of Object.values(offers)) list.sort()
  return offers
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cachectl-completion-'))
  await writeFile(join(dir, 'snap.jsonl'), '')
  await writeFile(join(dir, 'inputs.jsonl'), '')
  for (const shell of ['bash', 'zsh'] as const) {
    const r = await runMain(['completion', shell])
    expect(r.code).toBe(0)
    scripts[shell] = join(dir, `cachectl.${shell}`)
    await writeFile(scripts[shell], r.stdout)
  }
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('cachectl completion', () => {
  it('refuses a shell it has no script for', async () => {
    expect(await runMain(['completion', 'fish'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('expected bash or zsh, got "fish"'),
    })
    expect((await runMain(['completion'])).code).toBe(2)
  })

  it('bash: the script parses and registers _cachectl for cachectl', async () => {
    expect(await run('bash', ['-n', scripts.bash])).toMatchObject({ code: 0, stderr: '' })
    const r = await run('bash', ['-c', 'source "$0"; complete -p cachectl', scripts.bash])
    expect(r.stdout.trim()).toBe('complete -F _cachectl cachectl')
  })

  it('bash: completes commands, options, choices and files', async () => {
    expect(await bashOffers('cachectl', 'ex')).toEqual(['export'])
    expect(await bashOffers('cachectl', 's')).toEqual(['stats', 'sync'])
    expect(await bashOffers('cachectl', '--v')).toEqual(['--version'])
    expect(await bashOffers('cachectl', 'export', '--pro')).toEqual(['--progress'])
    expect(await bashOffers('cachectl', 'export', '--progress', '')).toEqual(['auto', 'bar', 'off', 'plain'])
    expect(await bashOffers('cachectl', 'sync', '-d', 'p')).toEqual(['pull', 'push'])
    expect(await bashOffers('cachectl', 'clear', '--t')).toEqual(['--tag'])
    expect(await bashOffers('cachectl', 'import', '--in', 's')).toEqual(['snap.jsonl'])
    expect(await bashOffers('cachectl', 'prewarm', '-f', '')).toEqual([
      'cachectl.bash',
      'cachectl.zsh',
      'inputs.jsonl',
      'snap.jsonl',
    ])
    expect(await bashOffers('cachectl', 'export', '--redis', '')).toEqual([])
    expect(await bashOffers('cachectl', 'completion', '')).toEqual(['bash', 'zsh'])
  })

  withZsh('zsh: the script parses, and zsh completes commands, options, choices and files', async () => {
    expect(await run('zsh', ['-n', scripts.zsh])).toMatchObject({ code: 0, stderr: '' })
    expect(
      await zshOffers(
        'cachectl ex',
        'cachectl s',
        'cachectl export --pro',
        'cachectl export --progress ',
        'cachectl sync -d p',
        'cachectl clear --t',
        'cachectl import --in s',
        'cachectl completion ',
      ),
    ).toEqual({
      'cachectl ex': ['export'],
      'cachectl s': ['stats', 'sync'],
      'cachectl export --pro': ['--progress'],
      'cachectl export --progress ': ['auto', 'bar', 'off', 'plain'],
      'cachectl sync -d p': ['pull', 'push'],
      'cachectl clear --t': ['--tag'],
      'cachectl import --in s': ['snap.jsonl'],
      'cachectl completion ': ['bash', 'zsh'],
    })
  })
})
