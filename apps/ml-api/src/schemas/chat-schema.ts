import { type Static, Type } from 'typebox'
import { cacheField } from './cache-control-schema.js'
import {
  cacheRequestHeaders,
  cacheStatusHeader,
  errorResponse,
  postErrorResponses,
} from './common-schemas.js'

/** `POST /v1/chat/completions` body: OpenAI's, other parameters forwarded as they are. */
export const chatBody = Type.Object(
  {
    model: Type.String({ minLength: 1, maxLength: 128 }),
    messages: Type.Array(
      Type.Object({ role: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: true }),
      { minItems: 1, maxItems: 1024 },
    ),
    temperature: Type.Optional(Type.Number({ minimum: 0, maximum: 2 })),
    stream: Type.Optional(Type.Boolean()),
    user: Type.Optional(
      Type.String({
        maxLength: 256,
        description: 'End-user id (the cache key per user with CHAT_CACHE_PARTITION=user)',
      }),
    ),
    cache: Type.Optional(cacheField),
  },
  { additionalProperties: true },
)

/** A chat completion request as validated: OpenAI's shape, passed through to the upstream. */
export type ChatBody = Static<typeof chatBody> & { [parameter: string]: unknown }

/** Route schema of `POST /v1/chat/completions` (forwarded to the upstream). */
export const chatSchema = {
  summary: 'Chat completions forwarded to the upstream, cached when deterministic',
  description:
    'Needs UPSTREAM_BASE_URL. Cached only when temperature is 0 or the request sends ' +
    '`x-cache-opt-in: true`; errors and empty answers are never stored. A cacheable `stream: true` ' +
    'request is recorded as it passes through and replayed from the cache (as SSE, or as JSON to a ' +
    'non-streaming request); an aborted or cut stream is never stored. Other OpenAI parameters are ' +
    'forwarded as they are.',
  tags: ['models'],
  headers: Type.Object({
    ...cacheRequestHeaders,
    'x-cache-opt-in': Type.Optional(
      Type.String({ description: '"true" caches a non-zero temperature request' }),
    ),
  }),
  body: chatBody,
  response: {
    200: {
      description: 'The upstream completion, or its SSE stream when `stream` is true',
      headers: {
        'x-cache': {
          type: 'string',
          enum: ['HIT', 'MISS', 'BYPASS'],
          description: 'HIT: from the cache; MISS: forwarded (stored when usable); BYPASS: not cacheable',
        },
        ...cacheStatusHeader,
      },
      content: {
        'application/json': { schema: Type.Object({}, { additionalProperties: true }) },
        'text/event-stream': {
          schema: Type.String({
            description: 'Server-sent events: `data: <chunk JSON>`, then `data: [DONE]`',
          }),
        },
      },
    },
    ...postErrorResponses,
    404: errorResponse('The model is not in the allow-list (model_not_found)'),
    429: errorResponse('The upstream is rate limiting (its status and message, relayed)'),
    502: errorResponse('The upstream failed, timed out or answered something unusable'),
    503: errorResponse('No upstream configured (UPSTREAM_BASE_URL unset)'),
  },
} as const
