import { readPublishedStats } from '@cache/ops'
import { scanStoreKeys } from '@cache/ops/tooling'
import { JSON_OPTION, namespaceOption, REDIS_OPTIONS, str } from '../args.js'
import { out, outJson } from '../cli-io.js'
import type { Command } from '../command.js'
import { openRedis, redisUrl } from '../connect.js'
import { bytes, duration, num } from '../format.js'

/** `cachectl stats`: server facts, entry count, and the counters the apps publish. */
export const statsCommand: Command = {
  spec: {
    name: 'stats',
    summary: 'Show Redis facts, the number of cache entries, and the hit/miss counters apps publish.',
    usage: '--redis URL [--namespace NS] [--json]',
    details:
      'Entries are counted with SCAN (never KEYS). Hit/miss counters appear when the apps call\n' +
      "publishStats(cache, store) from '@cache/ops'; they are summed over live processes.",
    options: {
      ...REDIS_OPTIONS,
      namespace: namespaceOption('count only this namespace (and its children)'),
      ...JSON_OPTION,
    },
  },
  async run(args, io) {
    const redis = await openRedis(redisUrl(args, io, 'stats'), args)
    try {
      const namespace = str(args, 'namespace')
      const info = await redis.store.serverInfo()
      let entries = 0
      const prefixes = namespace === undefined ? [''] : [`${namespace}:`, `${namespace}/`]
      for await (const keys of scanStoreKeys(redis.store, prefixes, 1000)) entries += keys.length
      const published = await readPublishedStats(redis.store, namespace ?? '*')
      const sum = (pick: (s: (typeof published)[number]['stats']) => number) =>
        published.reduce((a, p) => a + pick(p.stats), 0)
      const counters =
        published.length === 0
          ? undefined
          : {
              processes: published.length,
              hits: sum((s) => s.hits),
              staleHits: sum((s) => s.staleHits),
              misses: sum((s) => s.misses),
              sets: sum((s) => s.sets),
              errors: sum((s) => s.errors),
              loads: sum((s) => s.loads),
            }
      if (args.values.json) {
        outJson(io, { redis: info, namespace: namespace ?? null, entries, counters: counters ?? null })
        return 0
      }
      out(
        io,
        `redis        ${info.version} at ${redis.label} (${info.servers} server${info.servers > 1 ? 's' : ''})`,
      )
      out(io, `uptime       ${duration(info.uptimeSeconds * 1000)}`)
      out(io, `memory used  ${bytes(info.usedMemoryBytes)}`)
      out(io, `clients      ${num(info.connectedClients)}`)
      out(io, `entries      ${num(entries)}${namespace === undefined ? '' : ` in namespace ${namespace}`}`)
      if (counters === undefined) out(io, 'counters     none published (apps publish them with publishStats)')
      else {
        const lookups = counters.hits + counters.staleHits + counters.misses
        const ratio = lookups === 0 ? 0 : ((counters.hits + counters.staleHits) / lookups) * 100
        out(
          io,
          `counters     ${counters.processes} process${counters.processes > 1 ? 'es' : ''}: ` +
            `hits ${num(counters.hits)}, stale ${num(counters.staleHits)}, misses ${num(counters.misses)}, ` +
            `hit ratio ${ratio.toFixed(1)}%, loads ${num(counters.loads)}, errors ${num(counters.errors)}`,
        )
      }
      return 0
    } finally {
      await redis.close()
    }
  },
}
