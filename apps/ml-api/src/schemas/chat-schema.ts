import { postErrorResponses } from './common-schemas.js'

/** Route schema of `POST /v1/chat/completions` (forwarded to the upstream). */
export const chatSchema = {
  summary: 'Chat completions forwarded to the upstream, cached when deterministic',
  description:
    'Needs UPSTREAM_BASE_URL. Cached only when temperature is 0 or the request sends ' +
    '`x-cache-opt-in: true`; errors and empty answers are never stored; `stream: true` passes ' +
    'through uncached (x-cache: BYPASS). Other OpenAI parameters are forwarded as they are.',
  tags: ['models'],
  headers: {
    type: 'object',
    properties: {
      'x-cache-opt-in': { type: 'string', description: '"true" caches a non-zero temperature request' },
    },
  },
  body: {
    type: 'object',
    required: ['model', 'messages'],
    additionalProperties: true,
    properties: {
      model: { type: 'string', minLength: 1, maxLength: 128 },
      messages: {
        type: 'array',
        minItems: 1,
        maxItems: 1024,
        items: {
          type: 'object',
          required: ['role'],
          additionalProperties: true,
          properties: { role: { type: 'string', minLength: 1, maxLength: 64 } },
        },
      },
      temperature: { type: 'number', minimum: 0, maximum: 2 },
      stream: { type: 'boolean' },
    },
  },
  response: {
    200: {
      description: 'The upstream completion (or an SSE stream when stream is true)',
      headers: {
        'x-cache': { type: 'string', enum: ['HIT', 'MISS', 'BYPASS'] },
      },
      type: 'object',
      additionalProperties: true,
    },
    ...postErrorResponses,
  },
} as const
