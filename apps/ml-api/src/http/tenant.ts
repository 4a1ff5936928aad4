import { createHash } from 'node:crypto'
import type { FastifyRequest } from 'fastify'

/** Who shares cached answers: everyone, the holders of one API key, or one `user`. */
export type CachePartition = 'shared' | 'api-key' | 'user'

/** Every {@link CachePartition}. */
export const CACHE_PARTITIONS: readonly CachePartition[] = Object.freeze(['shared', 'api-key', 'user'])

/**
 * The tenant of a request under `partition`, or undefined when answers are shared. `api-key`:
 * a SHA-256 digest of the bearer token, so the key itself is never part of a cache key (nor of
 * anything stored); `user`: the body's `user` field. A request without one belongs to a tenant of
 * its own, shared by every request without one.
 */
export function tenantOf(
  partition: CachePartition,
  request: Pick<FastifyRequest, 'headers'>,
  user: string | undefined,
): string | undefined {
  if (partition === 'shared') return undefined
  if (partition === 'user') return `user:${user ?? ''}`
  const bearer = /^Bearer\s+(\S.*)$/i.exec(request.headers.authorization ?? '')?.[1]?.trim()
  return `key:${bearer === undefined ? '' : createHash('sha256').update(bearer).digest('hex')}`
}
