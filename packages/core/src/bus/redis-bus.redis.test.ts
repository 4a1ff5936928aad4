import { type AddressInfo, connect, createServer, type Socket } from 'node:net'
import { startPrivateRedis, until as untilWithin } from '@cache/test-utils'
import { Redis } from 'ioredis'
import { describe, expect, it } from 'vitest'
import { createCache } from '../create-cache.js'
import { RedisStore } from '../stores/redis/redis-store.js'
import { RedisBus } from './redis-bus.js'

// Generous: a restart on a busy machine is slow; this bounds a wait, it is not a deadline under test.
const until = (check: () => Promise<boolean>) => untilWithin(check, { timeout: 30_000, interval: 50 })

describe('invalidation bus over Redis pub/sub', () => {
  it('carries invalidations, never values', async () => {
    const server = await startPrivateRedis()
    const spy = server.client()
    const seen: string[] = []
    await spy.subscribe('__bus:bus1')
    spy.on('message', (_channel: string, message: string) => seen.push(message))
    // A subscribed connection cannot ask PUBSUB: one more, closed with the server.
    const probe = server.client()
    const a = createCache({ namespace: 'bus1', store: new RedisStore({ url: server.url }) })
    try {
      await until(async () => (await probe.pubsub('NUMSUB', '__bus:bus1'))[1] === 2)
      await a.set('k', { secret: 'value-123' }, { tags: ['t'] })
      await a.delete('k')
      await a.invalidateTags(['t'])
      await until(async () => seen.length >= 3)
      expect(seen.join('\n')).not.toContain('value-123')
      expect(seen.map((m) => JSON.parse(m).message.kind)).toEqual(['keys', 'keys', 'tags'])
    } finally {
      await a.close()
      await server.stop()
    }
  })

  it('reconnects by itself after Redis restarts, and invalidations flow again', async () => {
    const server = await startPrivateRedis()
    const opts = { namespace: 'bus2', remote: { breakerResetAfter: 200 } } as const
    const a = createCache({ ...opts, store: new RedisStore({ url: server.url }) })
    const b = createCache({ ...opts, store: new RedisStore({ url: server.url }) })
    try {
      await Promise.all([a.ready(), b.ready()])
      await a.set('k', 'v1')
      expect(await b.get('k')).toBe('v1') // now in b's L1
      await server.restart()
      // After reconnection, a write in a must still drop b's L1 copy.
      await until(async () => {
        await a.set('k', 'v2')
        return (await b.get('k')) === 'v2'
      })
      await a.delete('k')
      await until(async () => (await b.get('k')) === undefined)
    } finally {
      await a.close()
      await b.close()
      await server.stop()
    }
  })
})

describe('invalidation bus: a connection lost again while re-subscribing', () => {
  it('rejects nothing unhandled, and subscribes once Redis answers again', async () => {
    const server = await startPrivateRedis()
    // A proxy that cuts the connection carrying the next SUBSCRIBE, then refuses connections for
    // a while (a Redis that dies again right after coming back): ioredis gives up on the
    // commands of the cut connection at its retry limit.
    let cutNext = false
    const sockets = new Set<Socket>()
    const proxy = createServer((client) => {
      const upstream = connect(server.port, '127.0.0.1')
      for (const s of [client, upstream]) {
        sockets.add(s)
        s.on('error', () => {})
        s.on('close', () => {
          client.destroy()
          upstream.destroy()
          sockets.delete(s)
        })
      }
      client.on('data', (data: Buffer) => {
        if (cutNext && /subscribe/i.test(data.toString('latin1'))) {
          cutNext = false
          proxy.close()
          setTimeout(() => proxy.listen(port, '127.0.0.1'), 500)
          client.destroy()
          return
        }
        upstream.write(data)
      })
      upstream.on('data', (data: Buffer) => client.write(data))
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const port = (proxy.address() as AddressInfo).port
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown) => unhandled.push(reason)
    process.on('unhandledRejection', onUnhandled)
    // The store's client options: no offline queue, one retry per request.
    const client = new Redis({
      host: '127.0.0.1',
      port,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      retryStrategy: () => 20,
    })
    client.on('error', () => {})
    const bus = new RedisBus(client, 'cut')
    try {
      await bus.subscribe(() => {})
      await until(async () => bus.connected)
      cutNext = true
      for (const s of sockets) s.destroy()
      await until(async () => !cutNext && bus.connected)
      // A rejection is reported after the turn it happens in.
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(unhandled.map(String)).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
      await bus.close()
      client.disconnect()
      proxy.close()
      for (const s of sockets) s.destroy()
      await server.stop()
    }
  })
})
