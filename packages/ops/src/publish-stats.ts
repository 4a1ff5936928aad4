import { hostname } from 'node:os'
import { type Cache, CacheError, type CacheStats, type CacheStore, errors } from '@cache/core'
import { assertKnownOptions, optionKeys } from '@cache/core/plugin'
import { isRedisStore, type RedisLikeStore, scanRedisKeys } from './redis-scan.js'

/** Prefix of the keys where apps publish their counters for `cachectl stats`. */
export const STATS_KEY_PREFIX = '__stats:'

/** Options of {@link publishStats}. */
export interface PublishStatsOptions {
  /** How often the counters are written, in ms. @default 10000 */
  interval?: number
  /** Name of this process in the published key. @default `${hostname()}:${process.pid}` */
  instance?: string
}

const PUBLISH_STATS_OPTIONS = optionKeys<PublishStatsOptions>({ interval: true, instance: true })

/** Counters one process published, as {@link readPublishedStats} returns them. */
export interface PublishedStats {
  /** The publishing process. */
  instance: string
  /** Epoch ms of the publication. */
  at: number
  /** The counters. */
  stats: CacheStats
}

/**
 * Publishes `cache.stats()` to Redis every `interval` ms under
 * `__stats:<namespace>:<instance>`, expiring after three intervals, so that
 * `cachectl stats --redis URL --namespace NS` can show the hit and miss counters of every live
 * process. Returns a function that stops publishing. Write errors are ignored: stats are
 * best-effort and must never disturb the app.
 */
export function publishStats(cache: Cache, store: CacheStore, options: PublishStatsOptions = {}): () => void {
  if (!isRedisStore(store)) {
    throw new CacheError(errors.ERR_CACHE_INVALID_OPTION, 'publishStats needs a RedisStore')
  }
  assertKnownOptions(options, PUBLISH_STATS_OPTIONS, 'publishStats options')
  const interval = options.interval ?? 10_000
  const instance = options.instance ?? `${hostname()}:${process.pid}`
  const root = cache.namespacePath.split('/')[0]!
  const key = store.redisKey(`${STATS_KEY_PREFIX}${root}:${instance}`)
  const publish = () => {
    const body = JSON.stringify({ instance, at: Date.now(), stats: cache.stats() })
    store.client.set(key, body, 'PX', interval * 3).catch(() => {})
  }
  publish()
  const timer = setInterval(publish, interval)
  timer.unref()
  return () => clearInterval(timer)
}

/** The counters published by live processes for root namespace `namespace`. */
export async function readPublishedStats(
  store: RedisLikeStore,
  namespace: string,
): Promise<PublishedStats[]> {
  const out: PublishedStats[] = []
  const root = namespace.split('/')[0]!
  for await (const keys of scanRedisKeys(store, { match: `${STATS_KEY_PREFIX}${root}:*`, count: 100 })) {
    const values = await Promise.all(keys.map((k) => store.client.get(store.redisKey(k))))
    for (const v of values) {
      if (v === null) continue
      try {
        out.push(JSON.parse(v) as PublishedStats)
      } catch {
        // Not ours (or half-written by a foreign tool): ignore rather than fail the listing.
      }
    }
  }
  return out
}
