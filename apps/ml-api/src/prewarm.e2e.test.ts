import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'
import { loadModels } from './models/load-models.js'
import type { StatsSnapshot } from './stats/usage-stats.js'

// `cachectl prewarm` against the running ML API fills its cache, so those inputs are HITs.
const CACHECTL = join(
  dirname(createRequire(import.meta.url).resolve('@cache/cli/package.json')),
  'bin/cachectl.js',
)
const dir = mkdtempSync(join(tmpdir(), 'ml-prewarm-'))
let app: FastifyInstance
let base: string

beforeAll(async () => {
  const models = await loadModels({ flightsRows: 2000 })
  app = await buildApp({ models, config: { flightsRows: 2000 } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`
})

afterAll(async () => {
  await app?.close()
  rmSync(dir, { recursive: true, force: true })
})

function run(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CACHECTL, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (out += d))
    child.on('close', (code) => resolve({ code, out }))
  })
}

describe('cachectl prewarm against the ML API', () => {
  it('after prewarm, those inputs are HITs and the model is not called again', async () => {
    const inputs = Array.from({ length: 12 }, (_, i) => ({
      inputs: [{ distance: 200 + i * 37, hour: i % 24 }],
    }))
    const file = join(dir, 'inputs.jsonl')
    writeFileSync(file, `${inputs.map((i) => JSON.stringify(i)).join('\n')}\n`)
    const result = await run([
      'prewarm',
      '--url',
      `${base}/v1/predict/flight-delay`,
      '--file',
      file,
      '--concurrency',
      '4',
    ])
    expect(result.code, result.out).toBe(0)
    const computed = (await app.inject('/cache/stats')).json<StatsSnapshot>().itemsComputed
    expect(computed).toBe(12)
    for (const body of inputs) {
      const res = await fetch(`${base}/v1/predict/flight-delay`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      expect(res.headers.get('x-cache')).toBe('HIT')
    }
    expect((await app.inject('/cache/stats')).json<StatsSnapshot>().itemsComputed).toBe(12)
  })
})
