import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url))
let child: ChildProcess
let base: string

beforeAll(async () => {
  child = spawn(process.execPath, [MAIN], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1' } })
  base = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`exited ${code}`)))
    child.stdout!.on('data', (d: Buffer) => {
      const m = /on (http:\/\/127\.0\.0\.1:\d+)/.exec(d.toString())
      if (m) resolve(m[1]!)
    })
  })
})

afterAll(() => {
  child?.kill('SIGTERM')
})

describe('demo app (what `npm start` runs)', () => {
  it('computes once, then serves the cached answer', async () => {
    const first = await fetch(`${base}/?n=42`)
    expect(first.headers.get('x-cache')).toBe('MISS')
    const second = await fetch(`${base}/?n=42`)
    expect(second.headers.get('x-cache')).toBe('HIT')
    expect(((await second.json()) as { value: number }).value).toBe(
      ((await first.json()) as { value: number }).value,
    )
    const stats = (await (await fetch(`${base}/stats`)).json()) as { hits: number; loads: number }
    expect(stats.hits).toBe(1)
    expect(stats.loads).toBe(1)
  })

  it('answers bad input with a 422 JSON error', async () => {
    const res = await fetch(`${base}/?n=abc`)
    expect(res.status).toBe(422)
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('INVALID_INPUT')
  })
})
