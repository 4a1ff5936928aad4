import { BATCHING_LIMITS, type BatchingOptions } from './cache/model-batcher.js'
import { CLIENT_DIRECTIVES, type ClientDirective } from './cache/request-cache-control.js'
import { CACHE_PARTITIONS, type CachePartition } from './http/tenant.js'

/** Settings of the ML API, read from the environment by {@link loadConfig}. */
export interface AppConfig {
  /** TCP port. `PORT`. @default 3000 */
  port: number
  /** Interface to listen on. `HOST`. @default '127.0.0.1' */
  host: string
  /** Redis L2 + invalidation bus when set; memory only otherwise. `REDIS_URL`. */
  redisUrl: string | undefined
  /** Prefix of every Redis key (several apps or test files on one Redis). `REDIS_KEY_PREFIX`. @default '' */
  redisKeyPrefix: string
  /**
   * Deadline of every Redis call, and the budget of one request across its Redis calls (read,
   * lease, write), the cache's `remote.timeout`. `REDIS_TIMEOUT_MS`. @default 250
   */
  redisTimeoutMs: number
  /** Bearer token of the admin routes; they answer 404 when unset. `ADMIN_TOKEN`. */
  adminToken: string | undefined
  /** Flight rows the k-NN model is fitted on (evenly sampled from 200k). `FLIGHTS_ROWS`. @default 50000 */
  flightsRows: number
  /** Neighbours of the k-NN model. `FLIGHTS_K`. @default 15 */
  flightsK: number
  /** TTL of cached predictions. `CACHE_TTL` (ms or duration string). @default '24h' */
  cacheTtl: string | number
  /**
   * The per-request cache directives clients may use (`Cache-Control`, `Pragma`, the `cache`
   * body field); others are ignored. `CLIENT_CACHE_CONTROL`: a comma list of `no-cache`,
   * `no-store`, `max-age` (also the body's `s-maxage`), `ttl`, `namespace`, or `none`.
   * @default every directive
   */
  clientCacheControl: ClientDirective[]
  /**
   * Dynamic batching per model id, over each model's defaults (`maxBatchSize` 256,
   * `maxQueueDelayMs` 2, `maxConcurrentBatches` 1, 4 for upstream models). `MODEL_BATCHING`, JSON:
   * `{"use-lite":{"maxBatchSize":32,"maxQueueDelayMs":1}}`. @default {}
   */
  modelBatching: Record<string, Partial<BatchingOptions>>
  /**
   * Who shares cached chat completions: `shared` (everyone), `api-key` (per digest of the
   * client's bearer token) or `user` (per `user` field). `CHAT_CACHE_PARTITION`. @default 'shared'
   */
  chatCachePartition: CachePartition
  /**
   * The same for embeddings and predictions, `MODEL_CACHE_PARTITION`. Shared by default: a
   * model's answer depends on its input only. @default 'shared'
   */
  modelCachePartition: CachePartition
  /**
   * Versions that replace the derived ones, by model id (chat models too): bump one when what a
   * model answers changed in a way its derived version cannot see. `MODEL_VERSIONS`:
   * `use-lite=2026-01,gpt-4o-mini=snapshot-2`. @default {}
   */
  modelVersions: Record<string, string>
  /**
   * At start-up, drop the cached answers of every version of a model other than the one served
   * (`POST /cache/drop-old-versions` does it on demand). `DROP_OLD_VERSIONS`. @default false
   */
  dropOldVersions: boolean
  /**
   * Time between two samples of the dashboard's rolling series (`/cache/stats/history`), ms.
   * `HISTORY_INTERVAL_MS`. @default 5000
   */
  historyIntervalMs: number
  /** Samples the series keeps. `HISTORY_POINTS`. @default 720 (one hour at 5 s) */
  historyPoints: number
  /** L1 memory bound in MB. `CACHE_MEMORY_MB`. @default 128 */
  cacheMemoryMb: number
  /** Largest request body in bytes, once decoded (larger: 413). `BODY_LIMIT_BYTES`. @default 1048576 */
  bodyLimit: number
  /**
   * Time a request body may take to arrive once the head is in (later: 408). `BODY_TIMEOUT_MS`;
   * 0 turns it off. @default 15000
   */
  bodyTimeoutMs: number
  /**
   * Time a whole request (head and body) may take to arrive (later: 408), Fastify's
   * `requestTimeout`. `REQUEST_TIMEOUT_MS`; 0 turns it off. @default 30000
   */
  requestTimeoutMs: number
  /**
   * Time a connection may stay silent, both ways, before it is closed, Fastify's
   * `connectionTimeout`. Longer than the slowest answer (`UPSTREAM_TIMEOUT_MS`): a socket is
   * silent while a model computes. `CONNECTION_TIMEOUT_MS`; 0 turns it off. @default 60000
   */
  connectionTimeoutMs: number
  /** OpenAI-compatible upstream (`.../v1`): embeddings misses and chat go there. `UPSTREAM_BASE_URL`. */
  upstreamBaseUrl: string | undefined
  /** Bearer key sent to the upstream. `UPSTREAM_API_KEY`. */
  upstreamApiKey: string | undefined
  /** Upstream embeddings models clients may ask for; the first is the default. `UPSTREAM_EMBEDDING_MODELS`. */
  upstreamEmbeddingModels: string[]
  /** Upstream chat models clients may ask for. `UPSTREAM_CHAT_MODELS`. */
  upstreamChatModels: string[]
  /** Deadline of an upstream call in ms. `UPSTREAM_TIMEOUT_MS`. @default 30000 */
  upstreamTimeoutMs: number
  /** Price of 1,000 upstream tokens, for the money-saved figures. `PRICE_PER_1K_TOKENS`. @default 0 */
  pricePer1kTokens: number
  /** Log level of Fastify's logger, or 'silent'. `LOG_LEVEL`. @default 'info' */
  logLevel: string
}

/** A setting that could not be read: the process should stop with this message. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
}

type Env = Record<string, string | undefined>

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be an integer in ${min}..${max}, got ${JSON.stringify(raw)}`)
  }
  return n
}

function nonNegative(env: Env, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0) {
    throw new ConfigError(`${name} must be a finite number >= 0, got ${JSON.stringify(raw)}`)
  }
  return n
}

function list(env: Env, name: string, fallback: string[]): string[] {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return fallback
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
}

function url(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim()
  if (!raw) return undefined
  try {
    const parsed = new URL(raw)
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http(s)')
  } catch {
    throw new ConfigError(`${name} must be an http(s) URL, got ${JSON.stringify(raw)}`)
  }
  // Without the trailing slash `new URL('embeddings', base)` keeps the `/v1` path segment.
  return raw.endsWith('/') ? raw : `${raw}/`
}

function versions(env: Env, name: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const pair of list(env, name, [])) {
    const [id, version, extra] = pair.split('=').map((s) => s.trim())
    if (!id || !version || extra !== undefined || !/^[\w.:-]{1,64}$/.test(version)) {
      throw new ConfigError(
        `${name} must be id=version pairs separated by commas, got ${JSON.stringify(pair)}`,
      )
    }
    out[id] = version
  }
  return out
}

function flag(env: Env, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase()
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false
  if (raw === '1' || raw === 'true') return true
  throw new ConfigError(`${name} must be true or false, got ${JSON.stringify(env[name])}`)
}

function partition(env: Env, name: string): CachePartition {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return 'shared'
  if (!(CACHE_PARTITIONS as readonly string[]).includes(raw)) {
    throw new ConfigError(`${name} must be one of ${CACHE_PARTITIONS.join(', ')}, got ${JSON.stringify(raw)}`)
  }
  return raw as CachePartition
}

function directives(env: Env, name: string): ClientDirective[] {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return [...CLIENT_DIRECTIVES]
  if (raw === 'none') return []
  const names = list(env, name, [])
  const unknown = names.filter((n) => !(CLIENT_DIRECTIVES as readonly string[]).includes(n))
  if (unknown.length > 0) {
    throw new ConfigError(
      `${name} must list some of ${CLIENT_DIRECTIVES.join(', ')} (or be "none"), got ${JSON.stringify(raw)}`,
    )
  }
  return names as ClientDirective[]
}

function batching(env: Env, name: string): Record<string, Partial<BatchingOptions>> {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return {}
  const fail = (why: string) => new ConfigError(`${name}: ${why}, got ${JSON.stringify(raw)}`)
  let parsed: unknown
  try {
    parsed = JSON.parse(raw)
  } catch {
    throw fail('must be JSON like {"use-lite":{"maxBatchSize":32}}')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw fail('must be an object')
  const out: Record<string, Partial<BatchingOptions>> = {}
  for (const [model, settings] of Object.entries(parsed)) {
    if (settings === null || typeof settings !== 'object') throw fail(`${model} must map to an object`)
    const entry: Partial<BatchingOptions> = {}
    for (const [key, value] of Object.entries(settings)) {
      const limits = BATCHING_LIMITS[key as keyof BatchingOptions]
      if (limits === undefined)
        throw fail(`unknown setting ${key} (${Object.keys(BATCHING_LIMITS).join(', ')})`)
      if (typeof value !== 'number' || !Number.isInteger(value) || value < limits[0] || value > limits[1]) {
        throw fail(`${model}.${key} must be an integer in ${limits[0]}..${limits[1]}`)
      }
      entry[key as keyof BatchingOptions] = value
    }
    out[model] = entry
  }
  return out
}

/** The vega flights file has 200,000 rows: more cannot be sampled. */
export const MAX_FLIGHTS_ROWS = 200_000

/**
 * Reads the configuration from `env` (default `process.env`). Throws {@link ConfigError} on a bad
 * value, so a typo stops the process at start instead of surfacing at request time.
 */
export function loadConfig(env: Env = process.env): AppConfig {
  const ttl = env.CACHE_TTL?.trim()
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    host: env.HOST?.trim() || '127.0.0.1',
    redisUrl: env.REDIS_URL?.trim() || undefined,
    redisKeyPrefix: env.REDIS_KEY_PREFIX ?? '',
    redisTimeoutMs: integer(env, 'REDIS_TIMEOUT_MS', 250, 1, 600_000),
    adminToken: env.ADMIN_TOKEN || undefined,
    flightsRows: integer(env, 'FLIGHTS_ROWS', 50_000, 100, MAX_FLIGHTS_ROWS),
    flightsK: integer(env, 'FLIGHTS_K', 15, 1, 200),
    cacheTtl: ttl ? (/^\d+$/.test(ttl) ? Number(ttl) : ttl) : '24h',
    clientCacheControl: directives(env, 'CLIENT_CACHE_CONTROL'),
    modelBatching: batching(env, 'MODEL_BATCHING'),
    chatCachePartition: partition(env, 'CHAT_CACHE_PARTITION'),
    modelVersions: versions(env, 'MODEL_VERSIONS'),
    dropOldVersions: flag(env, 'DROP_OLD_VERSIONS'),
    historyIntervalMs: integer(env, 'HISTORY_INTERVAL_MS', 5000, 10, 3_600_000),
    historyPoints: integer(env, 'HISTORY_POINTS', 720, 2, 100_000),
    modelCachePartition: partition(env, 'MODEL_CACHE_PARTITION'),
    cacheMemoryMb: integer(env, 'CACHE_MEMORY_MB', 128, 1, 65_536),
    bodyLimit: integer(env, 'BODY_LIMIT_BYTES', 1_048_576, 1024, 64 * 1_048_576),
    bodyTimeoutMs: integer(env, 'BODY_TIMEOUT_MS', 15_000, 0, 3_600_000),
    requestTimeoutMs: integer(env, 'REQUEST_TIMEOUT_MS', 30_000, 0, 3_600_000),
    connectionTimeoutMs: integer(env, 'CONNECTION_TIMEOUT_MS', 60_000, 0, 3_600_000),
    upstreamBaseUrl: url(env, 'UPSTREAM_BASE_URL'),
    upstreamApiKey: env.UPSTREAM_API_KEY || undefined,
    upstreamEmbeddingModels: list(env, 'UPSTREAM_EMBEDDING_MODELS', ['text-embedding-3-small']),
    upstreamChatModels: list(env, 'UPSTREAM_CHAT_MODELS', ['gpt-4o-mini']),
    upstreamTimeoutMs: integer(env, 'UPSTREAM_TIMEOUT_MS', 30_000, 100, 600_000),
    pricePer1kTokens: nonNegative(env, 'PRICE_PER_1K_TOKENS', 0),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
  }
}
