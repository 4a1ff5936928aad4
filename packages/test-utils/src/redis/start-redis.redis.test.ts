import { existsSync } from 'node:fs'
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import { findFreePort, isPortFree } from './find-free-port.js'
import { answersPing } from './redis-process.js'
import { startPrivateRedis } from './start-private-redis.js'
import { type RedisServerHandle, startRedis } from './start-redis.js'

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const started: RedisServerHandle[] = []
async function fresh(...args: Parameters<typeof startRedis>): Promise<RedisServerHandle> {
  const server = await startRedis(...args)
  started.push(server)
  return server
}
afterAll(async () => {
  await Promise.all(started.map((server) => server.stop()))
})

describe('startRedis', () => {
  it('starts a loopback server that answers, and stop() ends its process', async () => {
    const server = await fresh()
    expect(server.host).toBe('127.0.0.1')
    expect(server.url).toBe(`redis://127.0.0.1:${server.port}`)
    expect(isAlive(server.pid)).toBe(true)
    const client = server.client()
    expect(await client.ping()).toBe('PONG')
    // No persistence: a test server must never write dump files into the repo or anywhere else.
    expect(await client.config('GET', 'save')).toEqual(['save', ''])
    expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no'])
    expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1'])
    const dir = ((await client.config('GET', 'dir')) as string[])[1]!
    expect(existsSync(dir)).toBe(true)

    const pid = server.pid
    await server.stop()
    expect(isAlive(pid)).toBe(false)
    expect(server.running).toBe(false)
    expect(existsSync(dir)).toBe(false)
    expect(await isPortFree(server.port)).toBe(true)
    await server.stop() // idempotent
  })

  it('gives every server its own port', async () => {
    const [a, b] = await Promise.all([fresh(), fresh()])
    expect(a!.port).not.toBe(b!.port)
  })

  it('passes config directives and puts requirepass into the url and clients', async () => {
    const server = await fresh({
      config: { requirepass: 'p@ss word', maxmemory: '4mb', 'maxmemory-policy': 'allkeys-lru' },
    })
    expect(server.url).toBe(`redis://:p%40ss%20word@127.0.0.1:${server.port}`)
    const client = server.client()
    expect(await client.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'allkeys-lru'])
    expect(await client.config('GET', 'maxmemory')).toEqual(['maxmemory', String(4 * 1024 * 1024)])
    const anonymous = server.client({ password: '', maxRetriesPerRequest: 0 })
    await expect(anonymous.get('x')).rejects.toThrow(/NOAUTH/)
  })

  it('fails clearly on a fixed port that is taken, and retries free ports otherwise', async () => {
    const taken = await fresh()
    await expect(startRedis({ port: taken.port })).rejects.toMatchObject({ code: 'EADDRINUSE' })
    const port = await findFreePort()
    const server = await fresh({ port })
    expect(server.port).toBe(port)
  })

  it('reports the server output when redis-server refuses its arguments', async () => {
    await expect(startRedis({ config: { 'no-such-directive': 'x' } })).rejects.toThrow(/no-such-directive/i)
  })
})

describe('startPrivateRedis fault controls', () => {
  let server: RedisServerHandle
  afterEach(async () => {
    await server?.stop()
  })

  it('pause(ms) makes commands from other connections wait', async () => {
    server = await startPrivateRedis()
    const client = server.client()
    await client.ping()
    await server.pause(400)
    const started = performance.now()
    expect(await client.set('k', 'v')).toBe('OK')
    expect(performance.now() - started).toBeGreaterThanOrEqual(300)
  })

  it('sigstop() freezes the server until sigcont()', async () => {
    server = await startPrivateRedis()
    const client = server.client()
    await client.ping()
    server.sigstop()
    const reply = client.ping()
    const first = await Promise.race([
      reply,
      new Promise((resolve) => setTimeout(() => resolve('waiting'), 300)),
    ])
    expect(first).toBe('waiting')
    server.sigcont()
    expect(await reply).toBe('PONG')
  })

  it('stop() also ends a SIGSTOPped server', async () => {
    server = await startPrivateRedis()
    const pid = server.pid
    server.sigstop()
    await server.stop()
    expect(isAlive(pid)).toBe(false)
  })

  it('kill() crashes the server and restart() brings up an empty one on the same port', async () => {
    server = await startPrivateRedis()
    const client = server.client({ maxRetriesPerRequest: 0 })
    await client.set('k', 'v')
    const { port, pid } = server
    await server.kill()
    expect(isAlive(pid)).toBe(false)
    expect(server.running).toBe(false)
    expect(await answersPing(server.host, port)).toBe(false)
    await expect(client.get('k')).rejects.toThrow()

    await server.restart()
    expect(server.port).toBe(port)
    expect(server.pid).not.toBe(pid)
    expect(server.running).toBe(true)
    const after = server.client()
    expect(await after.get('k')).toBeNull()
    expect(await after.set('k', 'again')).toBe('OK')
    // restart() on a running server kills it first.
    const second = server.pid
    await server.restart()
    expect(isAlive(second)).toBe(false)
    expect(await server.client().get('k')).toBeNull()
  })

  it('flushall() empties a private server', async () => {
    server = await startPrivateRedis()
    const client = server.client()
    await client.mset('a', '1', 'b', '2')
    await server.flushall()
    expect(await client.dbsize()).toBe(0)
  })

  it('ignores REDIS_URL', async () => {
    const previous = process.env.REDIS_URL
    process.env.REDIS_URL = 'redis://127.0.0.1:1'
    try {
      server = await startPrivateRedis()
      expect(server.url).not.toBe(process.env.REDIS_URL)
    } finally {
      if (previous === undefined) delete process.env.REDIS_URL
      else process.env.REDIS_URL = previous
    }
  })
})
