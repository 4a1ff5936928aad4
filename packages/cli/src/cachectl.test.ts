import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { runMain } from './run-cli.js'

const COMMANDS = ['stats', 'keys', 'inspect', 'clear', 'export', 'import', 'sync', 'prewarm']

describe('cachectl (no server needed)', () => {
  it('has --help for every command, and exits 2 on a bad command line', async () => {
    const main = await runMain(['--help'])
    expect(main.code).toBe(0)
    for (const c of COMMANDS) expect(main.stdout).toContain(`  ${c} `)
    const helps = await Promise.all(COMMANDS.map((c) => runMain([c, '--help'])))
    helps.forEach((h, i) => {
      expect(h.code).toBe(0)
      expect(h.stdout).toContain(`Usage: cachectl ${COMMANDS[i]}`)
    })
    expect(await runMain(['frobnicate'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('unknown command'),
    })
    expect(await runMain(['stats', '--bogus'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("'--bogus'"),
    })
    expect(await runMain(['stats'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--redis URL is required'),
    })
    expect(await runMain(['stats', '--redis', 'http://nope'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('not a Redis URL'),
    })
  })

  it('is generic: no option of a particular application (model versions belong to the ML app)', async () => {
    const helps = await Promise.all(COMMANDS.map((c) => runMain([c, '--help'])))
    for (const h of helps) expect(h.stdout).not.toMatch(/model/i)
    for (const args of [
      ['sync', '--from', 'a.jsonl', '--to', 'b.jsonl', '--model-version', 'v1'],
      ['import', '--in', 'a.jsonl', '--model-version', 'v1'],
    ]) {
      expect(await runMain(args)).toMatchObject({
        code: 2,
        stderr: expect.stringContaining("Unknown option '--model-version'"),
      })
    }
  })

  it('offers --json on every command', async () => {
    const helps = await Promise.all(COMMANDS.map((c) => runMain([c, '--help'])))
    helps.forEach((h, i) => {
      expect(h.code).toBe(0)
      expect(h.stdout, COMMANDS[i]).toMatch(/^ {6}--json +print the result as one JSON document$/m)
    })
  })

  it('exit codes: a wrong command line is 2, found before anything is read or connected to', async () => {
    // Port 1 refuses connections: had the command connected first, it would exit 1.
    const down = 'redis://127.0.0.1:1'
    const cases: [string[], RegExp][] = [
      [['keys', '--redis', down, '--limit', 'ten'], /--limit must be an integer >= 1, got "ten"/],
      [
        ['export', '--redis', down, '--out', 'x.jsonl', '--progress', 'loud'],
        /--progress must be one of auto, bar, plain, off/,
      ],
      [['sync', '--from', down, '--to', 'ftp://host/x'], /unsupported store "ftp:\/\/host\/x"/],
      [
        ['sync', '--from', 'a.jsonl', '--to', 'b.jsonl', '--direction', 'sideways'],
        /--direction must be one of push, pull, both/,
      ],
      [['import', '--in', 'missing.jsonl', '--redis', 'http://nope'], /not a Redis URL: http:\/\/nope/],
      [['import', '--in', 'missing.jsonl', '--store', 'snapshot.jsonl'], /--store must be a store/],
      [['stats', '--redis', down, '--connect-timeout', '0'], /--connect-timeout must be an integer >= 1/],
      [
        ['prewarm', '--url', 'http://127.0.0.1:1/', '--file', 'missing.jsonl', '--timeout', '0'],
        /--timeout must be an integer >= 1/,
      ],
    ]
    for (const [args, message] of cases) {
      const r = await runMain(args)
      expect({ args, code: r.code }).toEqual({ args, code: 2 })
      expect(r.stderr).toMatch(message)
      expect(r.stdout).toBe('')
    }
  })

  it('without a command: the help on stderr and exit 2; --help: on stdout and exit 0', async () => {
    const none = await runMain([])
    expect(none).toMatchObject({ code: 2, stdout: '' })
    expect(none.stderr).toContain('Usage: cachectl <command>')
    const help = await runMain(['--help'])
    expect(help).toMatchObject({ code: 0, stderr: '' })
    expect(help.stdout).toContain('Exit codes: 0 done, 1 failed or partial, 2 ')
  })

  it('--version prints the version of the package, as the help says', async () => {
    const { version } = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))
    for (const flag of ['--version', '-v']) {
      expect(await runMain([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' })
    }
    expect((await runMain(['--help'])).stdout).toContain('`cachectl --version` for the version')
  })
})
