import { spawn } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AppProcess, MAIN, spawnApp } from './testing/spawn-app.js'

let app: AppProcess

beforeAll(async () => {
  app = await spawnApp({ FLIGHTS_ROWS: '2000' })
})
afterAll(() => app?.stop())

const post = (path: string, body: string, type = 'application/json') =>
  fetch(`${app.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body })

describe('dist/main.js (what `npm start` runs)', () => {
  it('listens on 127.0.0.1 with the memory cache and serves every route', async () => {
    expect(app.output()).toContain('cache: memory')
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { status: string; cache: string }
    expect(health).toMatchObject({ status: 'ok', cache: 'memory' })
    const models = (await (await fetch(`${app.url}/v1/models`)).json()) as { data: { id: string }[] }
    expect(models.data.map((m) => m.id)).toEqual(['use-lite', 'flight-delay-knn'])
    const rows = JSON.stringify({ inputs: [{ distance: 900, hour: 14 }] })
    expect((await post('/v1/predict/flight-delay', rows)).headers.get('x-cache')).toBe('MISS')
    expect((await post('/v1/predict/flight-delay', rows)).headers.get('x-cache')).toBe('HIT')
    const emb = await post('/v1/embeddings', JSON.stringify({ input: 'over a real socket' }))
    expect(emb.status).toBe(200)
    for (const path of ['/', '/docs/', '/metrics', '/cache/stats']) {
      expect((await fetch(`${app.url}${path}`)).status, path).toBe(200)
    }
  })

  it('stays up after bad input, and the next valid request works', async () => {
    const bad: [string, string, number][] = [
      ['{"inputs":[', 'application/json', 400],
      ['{"inputs":[{"distance":1e400,"hour":1}]}', 'application/json', 400],
      ['{"inputs":[{"distance":NaN,"hour":1}]}', 'application/json', 400],
      ['distance=1', 'application/x-www-form-urlencoded', 415],
      [`{"inputs":${'['.repeat(50_000)}`, 'application/json', 400],
      [
        JSON.stringify({ inputs: Array.from({ length: 60_000 }, () => ({ distance: 1, hour: 1 })) }),
        'application/json',
        413,
      ],
    ]
    for (const [body, type, status] of bad) {
      const res = await post('/v1/predict/flight-delay', body, type)
      expect(res.status).toBe(status)
      expect(((await res.json()) as { error: { code: string } }).error.code).toEqual(expect.any(String))
    }
    const ok = await post(
      '/v1/predict/flight-delay',
      JSON.stringify({ inputs: [{ distance: 901, hour: 14 }] }),
    )
    expect(ok.status).toBe(200)
  })

  it('refuses a bad setting at start with a clear message and exit code 1', async () => {
    const child = spawn(process.execPath, [MAIN], {
      env: { PATH: process.env.PATH ?? '', FLIGHTS_ROWS: 'lots' },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString()
    })
    const code = await new Promise((resolve) => child.once('exit', resolve))
    expect(code).toBe(1)
    expect(stderr).toContain('FLIGHTS_ROWS must be an integer')
  })

  it('exits cleanly on SIGTERM', async () => {
    const other = await spawnApp({ FLIGHTS_ROWS: '500' })
    expect(await other.stop(), other.output()).toBe(0)
  })
})
