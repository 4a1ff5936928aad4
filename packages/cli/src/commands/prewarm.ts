import { createReadStream } from 'node:fs'
import { access } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { runConcurrent } from '@cache/ops/tooling'
import { int, JSON_OPTION, list, required, str } from '../args.js'
import { CliError, EXIT, usageError } from '../cli-error.js'
import { err, out, outJson } from '../cli-io.js'
import type { Command } from '../command.js'
import { num } from '../format.js'
import { PROGRESS_OPTION, Progress, progressMode } from '../progress.js'

interface InputLine {
  line: number
  text: string
}

/** `cachectl prewarm`: posts each input of a JSON Lines file to an endpoint so its cache fills. */
export const prewarmCommand: Command = {
  spec: {
    name: 'prewarm',
    summary: 'POST each line of a JSON Lines file to an HTTP endpoint, so its cache fills before traffic.',
    usage: '--url URL --file inputs.jsonl [--concurrency N] [--header "K: V"]',
    details:
      'Each non-empty line must be a JSON document; it is sent as the request body. The x-cache\n' +
      'header of the answers is tallied (HIT, MISS, PARTIAL, STALE). Exits 1 if any input failed\n' +
      '(malformed line, non-2xx answer, timeout), listing the first failures with line numbers.',
    options: {
      url: {
        type: 'string',
        short: 'u',
        value: 'URL',
        help: 'endpoint, e.g. http://127.0.0.1:3000/v1/predict/flight-delay',
      },
      file: {
        type: 'string',
        short: 'f',
        value: 'FILE',
        complete: 'file',
        help: 'inputs, one JSON document a line',
      },
      concurrency: {
        type: 'string',
        short: 'c',
        value: 'N',
        min: 1,
        help: 'requests in flight at once (default 8)',
      },
      header: { type: 'string', short: 'H', value: '"K: V"', help: 'extra request header', multiple: true },
      method: { type: 'string', value: 'M', help: 'HTTP method (default POST)' },
      timeout: { type: 'string', value: 'MS', min: 1, help: 'per-request timeout (default 30000)' },
      progress: PROGRESS_OPTION,
      ...JSON_OPTION,
    },
  },
  async run(args, io) {
    const url = required(args, 'url', prewarmCommand.spec)
    const file = required(args, 'file', prewarmCommand.spec)
    let parsed: URL
    try {
      parsed = new URL(url)
    } catch {
      throw usageError(`invalid URL: ${url}`)
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
      throw usageError(`--url must be http:// or https://, got ${url}`)
    const concurrency = int(args, 'concurrency', 8)
    const timeout = int(args, 'timeout', 30_000)
    const method = (str(args, 'method') ?? 'POST').toUpperCase()
    const headers: Record<string, string> = { 'content-type': 'application/json' }
    for (const h of list(args, 'header')) {
      const i = h.indexOf(':')
      if (i <= 0) throw usageError(`--header must look like "Name: value", got ${JSON.stringify(h)}`)
      headers[h.slice(0, i).trim().toLowerCase()] = h.slice(i + 1).trim()
    }
    await access(file).catch(() => {
      throw new CliError(`cannot read ${file}: no such file`)
    })

    const mode = progressMode(str(args, 'progress'), io)
    const progress = new Progress(io, mode, 'prewarm', mode === 'bar' ? await countLines(file) : undefined)
    const tally = new Map<string, number>()
    let ok = 0
    const controller = new AbortController()
    let unreachable: string | undefined
    const run = await runConcurrent(
      readInputs(file),
      async (input: InputLine) => {
        try {
          JSON.parse(input.text)
        } catch (error) {
          throw new Error(`invalid JSON (${(error as Error).message})`)
        }
        let res: Response
        try {
          res = await fetch(parsed, {
            method,
            headers,
            body: input.text,
            signal: AbortSignal.timeout(timeout),
          })
        } catch (error) {
          const code = (error as { cause?: { code?: string } }).cause?.code
          // Nothing answered yet and the host refuses: stop now rather than fail every line.
          if (ok === 0 && code !== undefined && /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH/.test(code)) {
            unreachable = code
            controller.abort()
          }
          throw new Error(
            (error as Error).name === 'TimeoutError'
              ? `timed out after ${timeout} ms`
              : `request failed (${code ?? (error as Error).message})`,
          )
        }
        await res.arrayBuffer()
        if (!res.ok) throw new Error(`HTTP ${res.status}`)
        ok++
        const cache = (res.headers.get('x-cache') ?? 'no x-cache').toUpperCase()
        tally.set(cache, (tally.get(cache) ?? 0) + 1)
      },
      {
        concurrency,
        signal: controller.signal,
        maxFailures: 10,
        onProgress: (p) => progress.update(p.done, p.failed > 0 ? `${num(p.failed)} failed` : ''),
      },
    ).catch((error: Error) => {
      if (unreachable !== undefined) throw new CliError(`cannot reach ${url}: ${unreachable}`)
      throw error
    })
    progress.finish(run.done, run.failed > 0 ? `${num(run.failed)} failed` : '')
    // Recorded as they failed, which concurrency shuffles: list them in file order.
    const failures = [...run.failures].sort((a, b) => a.item.line - b.item.line)
    if (args.values.json) {
      outJson(io, {
        url: parsed.href,
        inputs: run.done,
        ok,
        failed: run.failed,
        elapsedMs: Math.round(run.elapsedMs),
        answers: Object.fromEntries(tally),
        failures: failures.map((f) => ({ line: f.item.line, error: (f.error as Error).message })),
      })
    } else {
      const answers = [...tally.entries()].map(([k, n]) => `${num(n)} ${k}`).join(', ')
      out(
        io,
        `prewarmed ${num(ok)} of ${num(run.done)} inputs in ${(run.elapsedMs / 1000).toFixed(1)}s${answers ? `: ${answers}` : ''}`,
      )
    }
    if (run.failed === 0) return EXIT.OK
    err(io, `${num(run.failed)} input${run.failed > 1 ? 's' : ''} failed:`)
    for (const f of failures) err(io, `  line ${f.item.line}: ${(f.error as Error).message}`)
    if (run.failed > run.failures.length) err(io, `  ... and ${num(run.failed - run.failures.length)} more`)
    return EXIT.FAILED
  },
}

async function* readInputs(file: string): AsyncGenerator<InputLine> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY })
  let line = 0
  for await (const text of lines) {
    line++
    if (text.trim() !== '') yield { line, text }
  }
}

async function countLines(file: string): Promise<number> {
  let n = 0
  for await (const _ of readInputs(file)) n++
  return n
}
