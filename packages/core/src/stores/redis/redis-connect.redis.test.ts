import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { findFreePort, PATIENT_REMOTE, startPrivateRedis } from '@cache/test-utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCache } from '../../create-cache.js'
import { RedisStore } from './redis-store.js'

// TLS, AUTH, ACL users and Sentinel, each against a real redis-server on loopback.
const dir = mkdtempSync(join(tmpdir(), 'redis-connect-'))
const children: ChildProcess[] = []

/** Spawns a redis-server by hand (for setups the harness does not cover) and waits for its log line. */
async function spawnRedis(args: string[], ready: RegExp): Promise<ChildProcess> {
  const child = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  await new Promise<void>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`redis did not start: ${out}`)), 10_000)
    const onData = (d: Buffer) => {
      out += d.toString()
      if (ready.test(out)) {
        clearTimeout(timer)
        resolve()
      }
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`redis exited ${code}: ${out}`)))
  })
  return child
}

afterAll(async () => {
  for (const c of children) {
    if (c.exitCode === null && c.pid) process.kill(c.pid, 'SIGKILL')
  }
  rmSync(dir, { recursive: true, force: true })
})

async function roundTrip(store: RedisStore) {
  const cache = createCache({ namespace: 'conn', store, memory: false, remote: PATIENT_REMOTE })
  try {
    await store.ready(10_000)
    await cache.set('k', { ok: true, bytes: Buffer.from([1, 2, 3]) })
    expect(await cache.get('k')).toEqual({ ok: true, bytes: Buffer.from([1, 2, 3]) })
    expect(cache.stats().errors).toBe(0)
  } finally {
    await cache.close()
  }
}

describe('RedisStore connections', () => {
  it('AUTH with a password in the URL', async () => {
    const server = await startPrivateRedis({ config: { requirepass: 's3cret' } })
    try {
      await roundTrip(new RedisStore({ url: `redis://:s3cret@127.0.0.1:${server.port}` }))
    } finally {
      await server.stop()
    }
  })

  it('an ACL user in the URL', async () => {
    const server = await startPrivateRedis()
    try {
      await server.client().call('ACL', 'SETUSER', 'app', 'on', '>apppass', '~*', '&*', '+@all')
      await roundTrip(new RedisStore({ url: `redis://app:apppass@127.0.0.1:${server.port}` }))
      // and a user without access to the keys is refused: calls fail open, the loader answers
      await server.client().call('ACL', 'SETUSER', 'nokeys', 'on', '>p', '+@all')
      const store = new RedisStore({ url: `redis://nokeys:p@127.0.0.1:${server.port}` })
      const cache = createCache({ namespace: 'conn', store, memory: false, remote: PATIENT_REMOTE })
      await store.ready()
      expect(await cache.getOrSet('k', () => 'loader')).toBe('loader')
      expect(cache.stats().errors).toBeGreaterThan(0)
      await cache.close()
    } finally {
      await server.stop()
    }
  })

  describe('rediss:// (TLS)', () => {
    let port: number
    let ca: string
    beforeAll(async () => {
      const key = join(dir, 'key.pem')
      const cert = join(dir, 'cert.pem')
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'rsa:2048',
          '-nodes',
          '-keyout',
          key,
          '-out',
          cert,
          '-days',
          '1',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
        ],
        { stdio: 'ignore' },
      )
      ca = readFileSync(cert, 'utf8')
      port = await findFreePort()
      await spawnRedis(
        [
          '--port',
          '0',
          '--tls-port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--tls-cert-file',
          cert,
          '--tls-key-file',
          key,
          '--tls-ca-cert-file',
          cert,
          '--tls-auth-clients',
          'no',
          '--requirepass',
          'tlspass',
          '--save',
          '',
          '--appendonly',
          'no',
        ],
        /Ready to accept connections/,
      )
    })

    it('connects over TLS with AUTH', async () => {
      await roundTrip(new RedisStore({ url: `rediss://:tlspass@127.0.0.1:${port}`, redis: { tls: { ca } } }))
    })
  })

  it('Sentinel: finds the master by name', async () => {
    const master = await startPrivateRedis()
    try {
      const sentinelPort = await findFreePort()
      const conf = join(dir, 'sentinel.conf')
      writeFileSync(
        conf,
        [
          `port ${sentinelPort}`,
          'bind 127.0.0.1',
          `sentinel monitor mymaster 127.0.0.1 ${master.port} 1`,
          `dir ${dir}`,
          '',
        ].join('\n'),
      )
      await spawnRedis([conf, '--sentinel'], /Sentinel ID is|monitor master mymaster/)
      await roundTrip(
        new RedisStore({
          redis: { sentinels: [{ host: '127.0.0.1', port: sentinelPort }], name: 'mymaster' },
        }),
      )
      expect(await master.client().exists('conn:k')).toBe(1)
    } finally {
      await master.stop()
    }
  })
})
