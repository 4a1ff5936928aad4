import { type Static, Type } from 'typebox'

/** Longest TTL or age a request may name, in seconds (one year). */
export const MAX_CLIENT_SECONDS = 31_536_000

/**
 * The per-request `cache` body field, as LiteLLM accepts it: a client written for LiteLLM sends
 * it unchanged.
 */
export const cacheField = Type.Object(
  {
    'no-cache': Type.Optional(
      Type.Boolean({ description: 'Do not answer from the cache: recompute (and store the new answer)' }),
    ),
    'no-store': Type.Optional(Type.Boolean({ description: 'Do not store what this request computes' })),
    ttl: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_CLIENT_SECONDS,
        description: 'Store what this request computes for this many seconds (at most the server TTL)',
      }),
    ),
    's-maxage': Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: MAX_CLIENT_SECONDS,
        description: 'Accept cached answers at most this many seconds old; older ones are recomputed',
      }),
    ),
    namespace: Type.Optional(
      Type.String({
        pattern: '^[A-Za-z0-9._:-]{1,64}$',
        description: 'Cache under this namespace: answers are shared only with requests naming it',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'Per-request cache control (LiteLLM-compatible). The operator may allow only some of it ' +
      '(CLIENT_CACHE_CONTROL); the rest is ignored.',
  },
)

/** The `cache` body field, as validated. */
export type CacheField = Static<typeof cacheField>
