import { type Cache, type CacheStore, createCache } from '@cache/core'

/** A cache hit's bytes as the server sent them: replayed by the `*-limit` variants. */
export interface HitBytes {
  status: number
  /** Flat `[name, value, ...]` list, as `writeHead` takes it. */
  headers: string[]
  body: Buffer
}

/** What a server variant is built with, besides its name. */
export interface VariantSetup {
  /** Redis for the `*-ours-l2` and `*-ours-redis` variants (`BENCH_REDIS_URL`). */
  redisUrl?: string
  /**
   * Creates the Redis store of those variants. Only their processes load `@cache/core/redis`
   * (and ioredis): a memory-only app does not, and loading it changes how the collector treats
   * every request of the process (see `docs/benchmarks.md`).
   */
  redisStore?: (url: string) => CacheStore
  /** The captured hit, for the `*-limit` variants. */
  hit?: HitBytes
}

/**
 * The cache of an `ours` variant: memory only (`-ours`, `-ours-origin`), memory L1 + Redis L2
 * (`-ours-l2`, the recommended setup) or Redis alone (`-ours-redis`, L1 off). Each Redis variant
 * has its own namespace, so processes sharing the server never read each other's entries.
 */
export function oursCache(variant: string, setup: VariantSetup): Cache {
  const l2 = variant.endsWith('-ours-l2')
  const redisOnly = variant.endsWith('-ours-redis')
  if (!l2 && !redisOnly) return createCache({ ttl: '10m' })
  if (setup.redisUrl === undefined) throw new Error(`${variant} needs BENCH_REDIS_URL`)
  if (setup.redisStore === undefined) throw new Error(`${variant} needs setup.redisStore (see server.ts)`)
  return createCache({
    namespace: variant,
    ttl: '10m',
    store: setup.redisStore(setup.redisUrl),
    ...(redisOnly ? { memory: false as const } : {}),
  })
}

/** The hit's bytes, or a clear error for a `*-limit` variant started without them. */
export function hitOf(variant: string, setup: VariantSetup): HitBytes {
  if (setup.hit === undefined) throw new Error(`${variant} needs the captured hit`)
  return setup.hit
}
