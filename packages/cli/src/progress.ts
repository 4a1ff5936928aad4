import type { OptionSpec } from './args.js'
import type { CliIo } from './cli-io.js'

/** How progress is shown: a redrawn bar (TTY), plain lines (pipes, CI), or not at all. */
export type ProgressMode = 'bar' | 'plain' | 'off'

/** `--progress MODE` of the long commands. */
export const PROGRESS_OPTION: OptionSpec = {
  type: 'string',
  value: 'MODE',
  choices: ['auto', 'bar', 'plain', 'off'],
  help: 'auto (bar on a terminal), bar, plain or off (default auto)',
}

/** The mode for `--progress auto|bar|plain|off` (auto: a bar only when stderr is a TTY). */
export function progressMode(option: string | undefined, io: CliIo): ProgressMode {
  const choice = option ?? io.env.CACHECTL_PROGRESS ?? 'auto'
  if (choice === 'bar' || choice === 'plain' || choice === 'off') return choice
  return io.stderr.isTTY ? 'bar' : 'plain'
}

/** Formats seconds as `1:05` or `1:02:05`. */
export function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--'
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const ss = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

const nf = new Intl.NumberFormat('en-US')

/**
 * Progress of a long command on stderr. On a TTY: one line redrawn at most 10 times a second,
 * `label [#####-----] 45% 4,500/10,000 1,234/s ETA 0:04`. Otherwise: a plain line at most every
 * `plainEveryMs` (no carriage returns or escape codes, so logs stay readable).
 */
export class Progress {
  readonly #io: CliIo
  readonly #mode: ProgressMode
  readonly #label: string
  readonly #start = performance.now()
  readonly #plainEveryMs: number
  #total: number | undefined
  #last: number
  #drawn = false

  constructor(io: CliIo, mode: ProgressMode, label: string, total?: number, plainEveryMs = 5000) {
    this.#io = io
    this.#mode = mode
    this.#label = label
    this.#total = total
    this.#plainEveryMs = plainEveryMs
    // A bar draws at once; a plain line only once a command has run `plainEveryMs`, counted from
    // its own start (not the process's: `main` also runs in long-lived processes, such as tests).
    this.#last = mode === 'plain' ? this.#start : Number.NEGATIVE_INFINITY
  }

  /** Sets the total once it is known. */
  set total(total: number | undefined) {
    this.#total = total
  }

  /** Reports `done` items so far, with an optional suffix (`3 failed`). */
  update(done: number, extra = ''): void {
    if (this.#mode === 'off') return
    const now = performance.now()
    const every = this.#mode === 'bar' ? 100 : this.#plainEveryMs
    if (now - this.#last < every) return
    this.#last = now
    this.#write(done, extra)
  }

  /** Final state: the bar's line is ended (or a last plain line written). */
  finish(done: number, extra = ''): void {
    if (this.#mode === 'off') return
    if (this.#mode === 'plain' && !this.#drawn) return
    this.#write(done, extra)
    if (this.#mode === 'bar') this.#io.stderr.write('\n')
  }

  #write(done: number, extra: string): void {
    this.#drawn = true
    const elapsed = (performance.now() - this.#start) / 1000
    const rate = elapsed > 0 ? done / elapsed : 0
    const total = this.#total
    const parts = [this.#label]
    if (total !== undefined && total > 0) {
      const ratio = Math.min(1, done / total)
      if (this.#mode === 'bar') {
        const width = 24
        const full = Math.round(ratio * width)
        parts.push(`[${'#'.repeat(full)}${'-'.repeat(width - full)}]`)
      }
      parts.push(`${Math.floor(ratio * 100)}%`, `${nf.format(done)}/${nf.format(total)}`)
    } else parts.push(nf.format(done))
    parts.push(`${nf.format(Math.round(rate))}/s`)
    if (total !== undefined && total > 0)
      parts.push(`ETA ${clock(rate > 0 ? (total - done) / rate : Number.NaN)}`)
    if (extra) parts.push(extra)
    const line = parts.join(' ')
    // \r + erase line: redraw in place on a terminal.
    if (this.#mode === 'bar') this.#io.stderr.write(`\r\x1b[2K${line}`)
    else this.#io.stderr.write(`${line}\n`)
  }
}
