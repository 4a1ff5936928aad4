import { Type } from 'typebox'

/** The body of every error answer: OpenAI's error shape. */
export const errorSchema = Type.Object(
  {
    error: Type.Object({
      message: Type.String({ description: 'What is wrong, naming the field at fault' }),
      type: Type.String({ description: 'invalid_request_error (4xx) or server_error (5xx), as OpenAI' }),
      param: Type.Union([Type.String(), Type.Null()], {
        description: 'The request field at fault (`input`, `inputs[0].hour`), or null',
      }),
      code: Type.String({
        description:
          'Stable code: invalid_input, malformed_json, model_not_found, unsupported_media_type, payload_too_large, ...',
      }),
    }),
  },
  { description: 'Every error answers this shape (OpenAI-compatible)' },
)

/** An error answer with its own description, for one status of a route's `response`. */
export const errorResponse = (description: string) => ({ ...errorSchema, description })

/** The error answers every JSON POST route can give. */
export const postErrorResponses = {
  400: errorResponse(
    'Malformed JSON, or the wrong shape or values: types, ranges, NaN/Infinity, __proto__ keys, nesting, invalid UTF-8',
  ),
  413: errorResponse('Body larger than the body limit'),
  415: errorResponse('Not application/json (UTF-8)'),
} as const

/** `x-model-version` of an answer computed by (or cached from) a model. */
export const modelVersionHeader = {
  'x-model-version': {
    type: 'string',
    description: 'Version of the model that answered (hash of its weights or data, settings and code)',
  },
} as const

/** `Cache-Status` (RFC 9211) of an answer of a model route. */
export const cacheStatusHeader = {
  'cache-status': {
    type: 'string',
    description:
      'RFC 9211: `ml-api; hit`, or `ml-api; fwd=uri-miss|request|bypass` with `stored`, `collapsed`, `detail=partial`',
  },
} as const

/** The request headers of model routes: per-request cache control. */
export const cacheRequestHeaders = {
  'cache-control': Type.Optional(
    Type.String({
      description:
        'no-cache (recompute), no-store (keep nothing), max-age=N (accept answers at most N s old)',
    }),
  ),
  pragma: Type.Optional(Type.String({ description: 'no-cache, when there is no Cache-Control' })),
}

/** The cache headers of batch answers. */
export const batchCacheHeaders = {
  'x-cache': {
    type: 'string',
    enum: ['HIT', 'MISS', 'PARTIAL'],
    description: 'HIT: every item from the cache; MISS: none; PARTIAL: some',
  },
  'x-cache-hits': { type: 'integer', description: 'Items answered from the cache' },
  'x-cache-misses': { type: 'integer', description: 'Items computed for this request' },
  ...cacheStatusHeader,
  ...modelVersionHeader,
} as const

/** Security requirement of the admin routes (see the `bearer` scheme of the OpenAPI document). */
export const adminSecurity = [{ bearer: [] }]

/** The headers of a whole response cached by the shared HTTP rules (`@cache/fastify`). */
export const responseCacheHeaders = {
  'x-cache': {
    type: 'string',
    enum: ['HIT', 'MISS', 'STALE', 'BYPASS'],
    description: 'Whether the answer came from the cache',
  },
  age: { type: 'integer', description: 'Seconds since the cached answer was made (HIT, STALE)' },
  etag: { type: 'string', description: 'Validator for If-None-Match' },
} as const
