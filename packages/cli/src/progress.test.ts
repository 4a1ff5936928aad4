import { PassThrough } from 'node:stream'
import { describe, expect, it, vi } from 'vitest'
import type { CliIo } from './cli-io.js'
import { clock, Progress, progressMode } from './progress.js'

function fakeIo(tty: boolean): CliIo & { text: () => string } {
  const stderr = Object.assign(new PassThrough(), { isTTY: tty })
  let text = ''
  stderr.on('data', (c) => {
    text += c
  })
  return { stdout: new PassThrough(), stderr, stdin: new PassThrough(), env: {}, text: () => text }
}

describe('progress', () => {
  it('draws a bar with percentage, rate and ETA on a terminal', async () => {
    const io = fakeIo(true)
    expect(progressMode(undefined, io)).toBe('bar')
    const p = new Progress(io, 'bar', 'import', 200)
    await new Promise((r) => setTimeout(r, 20))
    p.update(50)
    p.finish(200)
    const text = io.text()
    // Each redraw starts with a carriage return and ESC [2K (erase the line).
    expect(text.startsWith('\r\u001b[2K')).toBe(true)
    expect(text).toMatch(/import \[######-{18}\] 25% 50\/200 [\d,]+\/s ETA \d+:\d\d/)
    expect(text.endsWith('\n')).toBe(true)
  })

  it('writes plain lines, rate-limited, without control characters when not a terminal', () => {
    const io = fakeIo(false)
    expect(progressMode(undefined, io)).toBe('plain')
    expect(progressMode('off', io)).toBe('off')
    const p = new Progress(io, 'plain', 'export', undefined, 0)
    p.update(10)
    p.update(20, '1 failed')
    p.finish(30)
    const lines = io.text().trim().split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[1]).toMatch(/^export 20 [\d,]+\/s 1 failed$/)
    expect(io.text()).not.toContain('\r')
  })

  it('formats durations as a clock', () => {
    expect(clock(65)).toBe('1:05')
    expect(clock(3725)).toBe('1:02:05')
    expect(clock(Number.NaN)).toBe('--:--')
  })

  it("counts the plain interval from the command's start, not the process's", () => {
    vi.useFakeTimers({ toFake: ['performance'] })
    try {
      vi.advanceTimersByTime(60_000) // a long-lived process (a test runner, a server)
      const io = fakeIo(false)
      const p = new Progress(io, 'plain', 'export', undefined, 5000)
      p.update(1)
      p.finish(1)
      expect(io.text()).toBe('') // a quick command prints no progress
      const slow = new Progress(io, 'plain', 'export', undefined, 5000)
      vi.advanceTimersByTime(5000)
      slow.update(2)
      expect(io.text()).toMatch(/^export 2 /)
    } finally {
      vi.useRealTimers()
    }
  })
})
