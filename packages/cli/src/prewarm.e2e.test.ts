import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createCache, hashKey } from '@cache/core'
import { findFreePort } from '@cache/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasTerminalControls, runMain } from './run-cli.js'

let server: Server
let base: string
let dir: string
const computed: unknown[] = []
const cache = createCache({ namespace: 'predict' })

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cachectl-prewarm-'))
  // A small model endpoint in the shape of the ML API: cached per canonical body, x-cache header.
  server = createServer(async (req, res) => {
    let body = ''
    for await (const chunk of req) body += chunk
    const input = JSON.parse(body) as { x: number }
    if (input.x < 0) {
      res.writeHead(500).end('{"error":"negative"}')
      return
    }
    let hit = true
    const score = await cache.getOrSet(hashKey(input), async () => {
      hit = false
      computed.push(input)
      return input.x * 2
    })
    res.writeHead(200, { 'content-type': 'application/json', 'x-cache': hit ? 'HIT' : 'MISS' })
    res.end(JSON.stringify({ score }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((r) => server.close(r))
  await rm(dir, { recursive: true, force: true })
})

describe('cachectl prewarm', () => {
  it('posts every input once, then the same inputs are HITs', async () => {
    const file = join(dir, 'inputs.jsonl')
    await writeFile(file, `${[1, 2, 3, 4, 5].map((x) => JSON.stringify({ x })).join('\n')}\n\n`)
    const first = await runMain(['prewarm', '--url', `${base}/predict`, '--file', file, '--concurrency', '3'])
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^prewarmed 5 of 5 inputs in [\d.]+s: 5 MISS$/m)
    expect(hasTerminalControls(first.stdout + first.stderr)).toBe(false)
    expect(computed).toHaveLength(5)
    const second = await runMain(['prewarm', '--url', `${base}/predict`, '--file', file])
    expect(second.stdout).toMatch(/: 5 HIT$/m)
    expect(computed).toHaveLength(5)
    // Key order does not matter to the endpoint's cache: a request from "traffic" is a HIT.
    const res = await fetch(`${base}/predict`, { method: 'POST', body: '{ "x" : 3 }' })
    expect(res.headers.get('x-cache')).toBe('HIT')
  })

  it('reports failed inputs by line and exits 1, after sending the good ones', async () => {
    const file = join(dir, 'mixed.jsonl')
    await writeFile(file, ['{"x":10}', '{"x":', '{"x":-1}', '{"x":11}'].join('\n'))
    const r = await runMain(['prewarm', '--url', `${base}/predict`, '--file', file, '--progress', 'plain'])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/prewarmed 2 of 4 inputs/)
    expect(r.stderr).toContain('2 inputs failed:')
    expect(r.stderr).toMatch(/line 2: invalid JSON/)
    expect(r.stderr).toMatch(/line 3: HTTP 500/)
    const json = await runMain(['prewarm', '--url', `${base}/predict`, '--file', file, '--json'])
    expect(json.code).toBe(1)
    expect(JSON.parse(json.stdout)).toEqual({
      url: `${base}/predict`,
      inputs: 4,
      ok: 2,
      failed: 2,
      elapsedMs: expect.any(Number),
      answers: { HIT: 2 },
      failures: [
        { line: 2, error: expect.stringContaining('invalid JSON') },
        { line: 3, error: 'HTTP 500' },
      ],
    })
  })

  it('fails fast on an unreachable endpoint, and on a bad URL or missing file', async () => {
    const file = join(dir, 'inputs.jsonl')
    const port = await findFreePort()
    const down = await runMain(['prewarm', '--url', `http://127.0.0.1:${port}/predict`, '--file', file])
    expect(down).toMatchObject({ code: 1, stderr: expect.stringContaining('cannot reach') })
    expect(await runMain(['prewarm', '--url', 'not a url', '--file', file])).toMatchObject({ code: 2 })
    expect(await runMain(['prewarm', '--url', `${base}/p`, '--file', join(dir, 'none.jsonl')])).toMatchObject(
      {
        code: 1,
        stderr: expect.stringContaining('no such file'),
      },
    )
    expect(
      await runMain(['prewarm', '--url', `${base}/p`, '--file', file, '--concurrency', '0']),
    ).toMatchObject({ code: 2 })
  })
})
