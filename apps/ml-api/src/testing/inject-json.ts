import type { FastifyInstance, LightMyRequestResponse } from 'fastify'

/** POSTs `body` (an object, or raw text sent as is) as JSON through `app.inject()`. */
export function postJson(
  app: FastifyInstance,
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  })
}

/** The `x-cache*` headers of an answer, as one object (for `toEqual`). */
export function cacheHeaders(res: LightMyRequestResponse): { cache: string; hits: number; misses: number } {
  return {
    cache: String(res.headers['x-cache']),
    hits: Number(res.headers['x-cache-hits']),
    misses: Number(res.headers['x-cache-misses']),
  }
}
