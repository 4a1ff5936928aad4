import { formatCacheStatus } from '@cache/core/http'
import type { FastifyReply } from 'fastify'

/** The cache's identifier in `Cache-Status` (RFC 9211 §2). */
export const CACHE_STATUS_NAME = 'ml-api'

/** What a request's answer says about the cache: counted over its distinct items. */
export interface CacheOutcome {
  /** Items answered from the cache. */
  hits: number
  /** Items computed (by this request, or by one it joined). */
  misses: number
  /** Items that joined another request's computation. */
  joined: number
  /** Items this request stored. */
  stored: number
  /** The request's own directives (`no-cache`, `max-age`) sent stored items to the model. */
  forced: boolean
}

/** `x-cache` of a batch answer: HIT (every item cached), MISS (none) or PARTIAL. */
export function batchCacheStatus(hits: number, misses: number): 'HIT' | 'MISS' | 'PARTIAL' {
  if (misses === 0) return 'HIT'
  return hits === 0 ? 'MISS' : 'PARTIAL'
}

/**
 * The `Cache-Status` member of an answer (RFC 9211): `hit` when the cache answered it whole;
 * otherwise why it went to the model, `fwd=request` when the request's own directives sent it
 * there (§2.2), `stored` when its answers were kept (§2.5), `collapsed` when it joined another
 * request's computation (§2.6), and `detail=partial` when some items were hits.
 */
export function cacheStatusHeader(outcome: CacheOutcome): string {
  if (outcome.misses === 0) return formatCacheStatus(CACHE_STATUS_NAME, { hit: true })
  return formatCacheStatus(CACHE_STATUS_NAME, {
    fwd: outcome.forced ? 'request' : 'uri-miss',
    stored: outcome.stored > 0,
    collapsed: outcome.joined > 0,
    ...(outcome.hits > 0 ? { detail: 'partial' } : {}),
  })
}

/**
 * Sets `x-cache`, `x-cache-hits`, `x-cache-misses`, `Cache-Status` and `x-model-version` on a
 * batch answer.
 */
export function setBatchHeaders(reply: FastifyReply, result: CacheOutcome, modelVersion: string): void {
  reply
    .header('x-cache', batchCacheStatus(result.hits, result.misses))
    .header('x-cache-hits', String(result.hits))
    .header('x-cache-misses', String(result.misses))
    .header('cache-status', cacheStatusHeader(result))
    .header('x-model-version', modelVersion)
}

/** Sends an already serialized JSON body (skips Fastify's serializer: vectors are large). */
export function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body))
}
