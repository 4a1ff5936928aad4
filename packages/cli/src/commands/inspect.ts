import { inspect as show } from 'node:util'
import { decodeEntry } from '@cache/core/layout'
import { classifyEntry, readCodecVersion } from '@cache/ops/tooling'
import { JSON_OPTION, namespaceOption, REDIS_OPTIONS, str } from '../args.js'
import { CliError, usageError } from '../cli-error.js'
import { out, outJson } from '../cli-io.js'
import type { Command } from '../command.js'
import { openRedis, redisUrl } from '../connect.js'
import { bytes, duration } from '../format.js'
import { toJsonValue } from '../json-value.js'

/** `cachectl inspect KEY`: the decoded envelope of one entry. */
export const inspectCommand: Command = {
  spec: {
    name: 'inspect',
    summary: 'Show one entry: state, TTL, grace, tags, size, codec version and the decoded value.',
    usage: 'KEY --redis URL [--namespace NS] [--json]',
    details: 'KEY is the full cache key (e.g. app/users:42), or relative to --namespace.',
    positionals: 1,
    options: {
      ...REDIS_OPTIONS,
      namespace: namespaceOption('KEY is relative to this namespace'),
      ...JSON_OPTION,
    },
  },
  async run(args, io) {
    const given = args.positionals[0]
    if (given === undefined) throw usageError('KEY is required\nsee: cachectl inspect --help')
    const namespace = str(args, 'namespace')
    const key = namespace === undefined ? given : `${namespace}:${given}`
    const redis = await openRedis(redisUrl(args, io, 'inspect'), args)
    try {
      const raw = await redis.store.get(key)
      if (raw === undefined) throw new CliError(`no entry under ${JSON.stringify(key)}`)
      const pttl = await redis.store.client.pttl(redis.store.redisKey(key))
      const now = Date.now()
      const { entry, skip } = classifyEntry(key, raw, now)
      if (entry === undefined) {
        const version = readCodecVersion(raw)
        throw new CliError(
          `${key}: ${raw.byteLength} bytes that this build cannot read (${skip.reason}${skip.detail ? `: ${skip.detail}` : ''}${version === undefined ? '' : `, codec version ${version}`})`,
        )
      }
      let value: unknown
      let decodeError: string | undefined
      try {
        value = decodeEntry(raw).value
      } catch (error) {
        decodeError = (error as Error).message
      }
      const state = entry.expiresAt > now ? 'fresh' : 'stale (in grace)'
      const iso = (t: number) => (Number.isFinite(t) ? new Date(t).toISOString() : null)
      if (args.values.json) {
        outJson(io, {
          key,
          redisKey: redis.store.redisKey(key),
          state,
          size: entry.size,
          codecVersion: entry.codecVersion,
          compressed: entry.compressed,
          createdAt: iso(entry.createdAt),
          expiresAt: iso(entry.expiresAt),
          staleUntil: iso(entry.staleUntil),
          ttlMs: Number.isFinite(entry.ttlRemaining) ? entry.ttlRemaining : null,
          redisPttlMs: pttl,
          tags: entry.tags,
          valueType: typeName(value),
          value: decodeError === undefined ? toJsonValue(value) : null,
          decodeError: decodeError ?? null,
        })
      } else {
        const preview = show(value, { depth: 4, maxArrayLength: 20, maxStringLength: 500, breakLength: 100 })
        out(io, `key          ${key}`)
        out(io, `state        ${state}`)
        out(
          io,
          `ttl          ${duration(entry.ttlRemaining)}${Number.isFinite(entry.expiresAt) ? ` (expires ${iso(entry.expiresAt)})` : ''}`,
        )
        out(io, `grace until  ${iso(entry.staleUntil) ?? 'never'}`)
        out(io, `created      ${iso(entry.createdAt)}`)
        out(io, `tags         ${entry.tags.length === 0 ? '-' : entry.tags.join(', ')}`)
        out(io, `size         ${bytes(entry.size)}${entry.compressed ? ' (value compressed)' : ''}`)
        out(io, `codec        v${entry.codecVersion}`)
        out(io, `redis ttl    ${pttl < 0 ? 'none' : duration(pttl)}`)
        out(
          io,
          `value        ${decodeError === undefined ? `${typeName(value)} ${preview}` : `cannot decode: ${decodeError}`}`,
        )
      }
      return decodeError === undefined ? 0 : 1
    } finally {
      await redis.close()
    }
  },
}

function typeName(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value !== 'object') return typeof value
  return (value as object).constructor?.name ?? 'Object'
}
