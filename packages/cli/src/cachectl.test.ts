import { describe, expect, it } from 'vitest'
import { runMain } from './run-cli.js'

const COMMANDS = ['stats', 'keys', 'inspect', 'clear', 'export', 'import', 'sync', 'prewarm']

describe('cachectl (no server needed)', () => {
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
})
