import type { RedisStore } from '@cache/core/redis'
import type { EndpointFactory } from '@cache/ops/tooling'
import { int, type ParsedArgs, str } from './args.js'
import { CliError, usageError } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { type MissingSqlite, type OpenedSqlite, openSqlite } from './sqlite-store.js'

/** An opened Redis store and how to close it. */
export interface OpenedRedis {
  kind: 'redis'
  store: RedisStore
  /** The URL with any password masked, for messages. */
  label: string
  close(): Promise<void>
}

/** A snapshot file. */
export interface OpenedFile {
  kind: 'file'
  target: EndpointFactory
  path: string
  label: string
  close(): Promise<void>
}

/** Anything `--from`, `--to` or `--store` can name. */
export type Opened = OpenedRedis | OpenedSqlite | OpenedFile

/** `redis://user:***@host:port/db`: never print a password. */
export function maskUrl(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '***'
    return u.toString()
  } catch {
    return url
  }
}

/** The Redis URL of a command: `--redis`, else `$REDIS_URL`; neither is a usage error. */
export function redisUrl(args: ParsedArgs, io: CliIo, command: string): string {
  const url = str(args, 'redis') ?? io.env.REDIS_URL
  if (url === undefined || url === '') {
    throw usageError(`--redis URL is required (or set REDIS_URL)\nsee: cachectl ${command} --help`)
  }
  return url
}

/**
 * Connects to Redis and waits until it answers, with a short connect timeout and no retries:
 * an unreachable server fails the command in about `--connect-timeout` ms with a clear message,
 * instead of hanging on reconnection.
 */
export async function openRedis(url: string, args: ParsedArgs): Promise<OpenedRedis> {
  const label = maskUrl(url)
  checkRedisUrl(url)
  const timeout = int(args, 'connect-timeout', 2000)
  const { RedisStore } = await import('@cache/core/redis')
  let store: RedisStore
  try {
    store = new RedisStore({
      url,
      keyPrefix: str(args, 'prefix') ?? '',
      // A batch of SCAN/MGET/pipelined writes can take longer than an app's request deadline.
      commandTimeout: 30_000,
      redis: { connectTimeout: timeout, maxRetriesPerRequest: 0, retryStrategy: () => null },
    })
  } catch (error) {
    throw usageError(`invalid Redis URL ${label}: ${(error as Error).message}`)
  }
  try {
    await waitReady(store, timeout)
  } catch (error) {
    store.client.disconnect()
    throw new CliError(`cannot reach Redis at ${label}: ${(error as Error).message}`)
  }
  return { kind: 'redis', store, label, close: () => store.close() }
}

function waitReady(store: RedisStore, timeout: number): Promise<void> {
  const client = store.client
  if (client.status === 'ready') return Promise.resolve()
  return new Promise((resolve, reject) => {
    let last: Error | undefined
    const done = (error?: Error) => {
      clearTimeout(timer)
      client.off('ready', onReady)
      client.off('error', onError)
      client.off('end', onEnd)
      if (error) reject(error)
      else resolve()
    }
    const onReady = () => done()
    const onError = (error: Error) => {
      last = error
    }
    const onEnd = () => done(last ?? new Error('connection closed'))
    // Slightly longer than connectTimeout, so ioredis's own (more precise) error wins.
    const timer = setTimeout(() => done(last ?? new Error(`no answer after ${timeout} ms`)), timeout + 500)
    client.on('ready', onReady)
    client.on('error', onError)
    client.on('end', onEnd)
  })
}

/** Throws a usage error unless `url` is a well-formed `redis://` or `rediss://` URL. */
export function checkRedisUrl(url: string): void {
  if (!/^rediss?:\/\//i.test(url))
    throw usageError(`not a Redis URL: ${maskUrl(url)} (expected redis:// or rediss://)`)
  storeKind(url)
}

/**
 * What a store spec names, from its syntax alone: a Redis URL, a SQLite file or a snapshot file.
 * An unsupported scheme or a malformed URL is a usage error; nothing is opened.
 */
export function storeKind(spec: string): Opened['kind'] {
  if (/^rediss?:\/\//i.test(spec)) {
    if (!URL.canParse(spec)) throw usageError(`invalid Redis URL ${maskUrl(spec)}`)
    return 'redis'
  }
  if (/^sqlite:\/\//i.test(spec)) {
    if (spec.length === 'sqlite://'.length)
      throw usageError(`${spec}: a SQLite store needs a path, e.g. sqlite://./cache.sqlite`)
    return 'sqlite'
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(spec)
  if (scheme !== null && scheme[1]!.toLowerCase() !== 'file') {
    throw usageError(
      `unsupported store ${JSON.stringify(spec)}: use redis://, rediss://, sqlite://PATH or a snapshot file path`,
    )
  }
  return 'file'
}

/**
 * Opens what a store spec names: `redis://` / `rediss://` URL, `sqlite://path` (a persistent
 * local store through Keyv), or a path to a snapshot file (`file:` prefix optional). A SQLite
 * file that does not exist is an error unless `missingSqlite` says otherwise.
 */
export async function openSpec(
  spec: string,
  args: ParsedArgs,
  missingSqlite: MissingSqlite = 'error',
): Promise<Opened> {
  const kind = storeKind(spec)
  if (kind === 'redis') return openRedis(spec, args)
  if (kind === 'sqlite') return openSqlite(spec, missingSqlite)
  const path = spec.replace(/^file:\/\//i, '')
  const { snapshotFile } = await import('@cache/ops')
  return { kind: 'file', target: snapshotFile(path), path, label: path, close: async () => {} }
}
