import { execFile, spawnSync } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runMain } from '../run-cli.js'

const CAPTURE_BASH = fileURLToPath(new URL('./capture-bash-completion.bash', import.meta.url))
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

/**
 * What the bash function offers for each case (its words, the last one being completed), in
 * `dir`, keyed by the words joined with spaces. One bash for all cases: a spawn each was enough
 * to time the test out on a loaded machine.
 */
async function bashOffers(...cases: string[][]): Promise<Record<string, string[]>> {
  const args = cases.flatMap((words) => [String(words.length), ...words])
  const r = await run('bash', [CAPTURE_BASH, scripts.bash, ...args])
  expect(r.stderr).toBe('')
  return headedLists(r.stdout)
}

/** Parses `<heading>` lines each followed by its items, sorting every list. */
function headedLists(stdout: string): Record<string, string[]> {
  const lists: Record<string, string[]> = {}
  let current: string[] = []
  for (const text of stdout.split('\n').filter(Boolean)) {
    const heading = /^<(.*)>$/.exec(text)
    if (heading) lists[heading[1]!] = current = []
    else current.push(text)
  }
  for (const list of Object.values(lists)) list.sort()
  return lists
}

/** What zsh offers when TAB is pressed after each of `lines` (in `dir`), by line. */
async function zshOffers(...lines: string[]): Promise<Record<string, string[]>> {
  // One interactive zsh for all lines: compinit is what takes time.
  const r = await run('zsh', ['-f', CAPTURE_ZSH, scripts.zsh, ...lines])
  return headedLists(r.stdout)
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
    expect(
      await bashOffers(
        ['cachectl', 'ex'],
        ['cachectl', 's'],
        ['cachectl', '--v'],
        ['cachectl', 'export', '--pro'],
        ['cachectl', 'export', '--progress', ''],
        ['cachectl', 'sync', '-d', 'p'],
        ['cachectl', 'clear', '--t'],
        ['cachectl', 'import', '--in', 's'],
        ['cachectl', 'prewarm', '-f', ''],
        ['cachectl', 'export', '--redis', ''],
        ['cachectl', 'completion', ''],
      ),
    ).toEqual({
      'cachectl ex': ['export'],
      'cachectl s': ['stats', 'sync'],
      'cachectl --v': ['--version'],
      'cachectl export --pro': ['--progress'],
      'cachectl export --progress ': ['auto', 'bar', 'off', 'plain'],
      'cachectl sync -d p': ['pull', 'push'],
      'cachectl clear --t': ['--tag'],
      'cachectl import --in s': ['snap.jsonl'],
      'cachectl prewarm -f ': ['cachectl.bash', 'cachectl.zsh', 'inputs.jsonl', 'snap.jsonl'],
      'cachectl export --redis ': [],
      'cachectl completion ': ['bash', 'zsh'],
    })
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
