/** The body of every error answer. */
export const errorSchema = {
  type: 'object',
  description: 'Every error answers this shape',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          description:
            'Stable code: malformed_json, unsupported_media_type, payload_too_large, invalid_input, ...',
        },
        message: { type: 'string' },
      },
    },
  },
} as const

/** The error answers every JSON POST route can give. */
export const postErrorResponses = {
  400: { ...errorSchema, description: 'Malformed JSON' },
  413: { ...errorSchema, description: 'Body larger than the body limit' },
  415: { ...errorSchema, description: 'Not application/json (UTF-8)' },
  422: {
    ...errorSchema,
    description: 'Wrong shape or values: types, ranges, NaN/Infinity, __proto__ keys, nesting, invalid UTF-8',
  },
} as const

/** The cache headers of batch answers. */
export const batchCacheHeaders = {
  'x-cache': {
    type: 'string',
    enum: ['HIT', 'MISS', 'PARTIAL'],
    description: 'HIT: every item from the cache; MISS: none; PARTIAL: some',
  },
  'x-cache-hits': { type: 'integer', description: 'Items answered from the cache' },
  'x-cache-misses': { type: 'integer', description: 'Items computed for this request' },
} as const

/** Security requirement of the admin routes (see the `bearer` scheme of the OpenAPI document). */
export const adminSecurity = [{ bearer: [] }]
