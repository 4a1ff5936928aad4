import type { FastifyReply } from 'fastify'

/** `x-cache` of a batch answer: HIT (every item cached), MISS (none) or PARTIAL. */
export function batchCacheStatus(hits: number, misses: number): 'HIT' | 'MISS' | 'PARTIAL' {
  if (misses === 0) return 'HIT'
  return hits === 0 ? 'MISS' : 'PARTIAL'
}

/** Sets `x-cache`, `x-cache-hits`, `x-cache-misses` and `x-model-version` on a batch answer. */
export function setBatchHeaders(
  reply: FastifyReply,
  result: { hits: number; misses: number },
  modelVersion: string,
): void {
  reply
    .header('x-cache', batchCacheStatus(result.hits, result.misses))
    .header('x-cache-hits', String(result.hits))
    .header('x-cache-misses', String(result.misses))
    .header('x-model-version', modelVersion)
}

/** Sends an already serialized JSON body (skips Fastify's serializer: vectors are large). */
export function sendJson(reply: FastifyReply, body: unknown): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body))
}
