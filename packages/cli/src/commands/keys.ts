import { classifyEntry, isRedisStore, scanRedisKeys } from '@cache/core/ops'
import { int, namespaceOption, REDIS_OPTIONS, str } from '../args.js'
import { out } from '../cli-io.js'
import type { Command } from '../command.js'
import { openRedis, redisUrl } from '../connect.js'
import { bytes, duration } from '../format.js'

/** `cachectl keys`: a SCAN sample of the keys. */
export const keysCommand: Command = {
  spec: {
    name: 'keys',
    summary: 'List a sample of cache keys (SCAN, never KEYS).',
    usage: '--redis URL [--namespace NS] [--match GLOB] [--limit N] [--long]',
    options: {
      ...REDIS_OPTIONS,
      namespace: namespaceOption('only keys of this namespace (and its children)'),
      match: {
        type: 'string',
        short: 'm',
        value: 'GLOB',
        help: 'SCAN MATCH pattern, e.g. "app:user:*" (default *)',
      },
      limit: { type: 'string', short: 'l', value: 'N', help: 'stop after N keys (default 100)' },
      long: { type: 'boolean', help: 'also show TTL, size and tags of each entry' },
    },
  },
  async run(args, io) {
    const redis = await openRedis(redisUrl(args, io, 'keys'), args)
    try {
      const limit = int(args, 'limit', 100)
      const namespace = str(args, 'namespace')
      const matches =
        str(args, 'match') !== undefined
          ? [str(args, 'match')!]
          : namespace === undefined
            ? ['*']
            : [`${glob(namespace)}:*`, `${glob(namespace)}/*`]
      let left = limit
      for (const match of matches) {
        if (!isRedisStore(redis.store)) break
        for await (const batch of scanRedisKeys(redis.store, { match, limit: left, count: 1000 })) {
          const keys = batch.filter((k) => !k.startsWith('__'))
          left -= keys.length
          if (!args.values.long) {
            for (const key of keys) out(io, key)
            continue
          }
          const values = await redis.store.getMany(keys)
          const now = Date.now()
          keys.forEach((key, i) => {
            const bytesOf = values[i]
            if (bytesOf === undefined) return
            const { entry, skip } = classifyEntry(key, bytesOf, now)
            if (entry === undefined)
              out(io, `${key}\t(${skip.reason}${skip.detail ? `: ${skip.detail}` : ''})`)
            else
              out(
                io,
                `${key}\tttl ${duration(entry.ttlRemaining)}\t${bytes(entry.size)}\ttags ${entry.tags.join(',') || '-'}`,
              )
          })
        }
        if (left <= 0) break
      }
      return 0
    } finally {
      await redis.close()
    }
  },
}

function glob(s: string): string {
  return s.replace(/[*?[\]\\^]/g, '\\$&')
}
