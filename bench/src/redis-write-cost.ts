import http from 'node:http'
import { commandCalls } from '@cache/test-utils/redis'
import { Redis } from 'ioredis'

/** What storing one HTTP response costs Redis, counted on the server. */
export interface RedisWriteCost {
  /** New Redis keys per stored response (entry, tag sets, tag lists...). */
  keys: number
  /** Writing commands per stored response, the ones run inside scripts included. */
  writes: number
  /** The same, per command (`set: 2`: the entry and the stampede lease). */
  byCommand: Record<string, number>
}

const WRITES = ['set', 'sadd', 'srem', 'pexpire', 'persist', 'unlink', 'del']

/**
 * Sends `n` misses (new URLs, untagged route) to the server on `port`, one at a time, and counts
 * what Redis saw: keys added and write commands. The server must be the
 * only client writing to that Redis while this runs.
 */
export async function redisWriteCost(port: number, redisUrl: string, n = 200): Promise<RedisWriteCost> {
  const admin = new Redis(redisUrl)
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 })
  const get = (path: string) =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent }, (res) => {
          res.resume()
          res.on('end', resolve)
        })
        .on('error', reject)
    })
  try {
    const before = await admin.dbsize()
    await admin.config('RESETSTAT')
    for (let i = 0; i < n; i++) await get(`/item?cost=${i}-${Math.random()}`)
    const after = await admin.dbsize()
    const calls = await commandCalls(admin)
    const sum = (cmds: string[]) => cmds.reduce((total, cmd) => total + calls(cmd), 0)
    const byCommand = Object.fromEntries(
      WRITES.filter((cmd) => calls(cmd) > 0).map((cmd) => [cmd.toUpperCase(), calls(cmd) / n]),
    )
    return { keys: (after - before) / n, writes: sum(WRITES) / n, byCommand }
  } finally {
    agent.destroy()
    admin.disconnect()
  }
}
