import { classifyEntry, isRedisStore, scanRedisKeys } from '@cache/ops/tooling'
import { int, JSON_OPTION, namespaceOption, REDIS_OPTIONS, str } from '../args.js'
import { out, outJson } from '../cli-io.js'
import type { Command } from '../command.js'
import { openRedis, redisUrl } from '../connect.js'
import { bytes, duration } from '../format.js'

/** `cachectl keys`: a SCAN sample of the keys. */
export const keysCommand: Command = {
  spec: {
    name: 'keys',
    summary: 'List a sample of cache keys (SCAN, never KEYS).',
    usage: '--redis URL [--namespace NS] [--match GLOB] [--limit N] [--long] [--json]',
    options: {
      ...REDIS_OPTIONS,
      namespace: namespaceOption('only keys of this namespace (and its children)'),
      match: {
        type: 'string',
        short: 'm',
        value: 'GLOB',
        help: 'SCAN MATCH pattern, e.g. "app:user:*" (default *)',
      },
      limit: { type: 'string', short: 'l', value: 'N', min: 1, help: 'stop after N keys (default 100)' },
      long: { type: 'boolean', help: 'also show TTL, size and tags of each entry' },
      ...JSON_OPTION,
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
      const json = args.values.json === true
      // Text streams a line per key; JSON is one document, so rows wait (at most --limit).
      const rows: KeyRow[] = []
      const emit = (row: KeyRow) => (json ? rows.push(row) : out(io, rowText(row)))
      let left = limit
      for (const match of matches) {
        if (!isRedisStore(redis.store)) break
        for await (const batch of scanRedisKeys(redis.store, { match, limit: left, count: 1000 })) {
          const keys = batch.filter((k) => !k.startsWith('__'))
          left -= keys.length
          if (!args.values.long) {
            for (const key of keys) emit({ key })
            continue
          }
          const values = await redis.store.getMany(keys)
          const now = Date.now()
          keys.forEach((key, i) => {
            const bytesOf = values[i]
            if (bytesOf === undefined) return
            const { entry, skip } = classifyEntry(key, bytesOf, now)
            if (entry === undefined)
              emit({ key, unreadable: `${skip.reason}${skip.detail ? `: ${skip.detail}` : ''}` })
            else
              emit({
                key,
                ttlMs: Number.isFinite(entry.ttlRemaining) ? entry.ttlRemaining : null,
                size: entry.size,
                tags: entry.tags,
              })
          })
        }
        if (left <= 0) break
      }
      if (json) outJson(io, { keys: rows })
      return 0
    } finally {
      await redis.close()
    }
  },
}

/** One key of the listing; with `--long`, its entry's facts (or why it cannot be read). */
interface KeyRow {
  key: string
  /** Time left before expiry; `null` for never. */
  ttlMs?: number | null
  size?: number
  tags?: string[]
  /** Why the bytes under this key are not an entry this build reads. */
  unreadable?: string
}

function rowText(row: KeyRow): string {
  if (row.unreadable !== undefined) return `${row.key}\t(${row.unreadable})`
  if (row.size === undefined) return row.key
  return `${row.key}\tttl ${duration(row.ttlMs ?? Number.POSITIVE_INFINITY)}\t${bytes(row.size)}\ttags ${row.tags?.join(',') || '-'}`
}

function glob(s: string): string {
  return s.replace(/[*?[\]\\^]/g, '\\$&')
}
