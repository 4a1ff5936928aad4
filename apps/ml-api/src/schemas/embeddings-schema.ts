import { type Static, Type } from 'typebox'
import { cacheField } from './cache-control-schema.js'
import {
  batchCacheHeaders,
  cacheRequestHeaders,
  errorResponse,
  postErrorResponses,
} from './common-schemas.js'

/** Most inputs in one embeddings request. */
export const MAX_EMBEDDING_INPUTS = 256
/** Longest input text, in characters (UTF-16 code units). */
export const MAX_EMBEDDING_CHARS = 8192

const text = Type.String({ minLength: 1, maxLength: MAX_EMBEDDING_CHARS })

/** `POST /v1/embeddings` body, OpenAI-compatible. */
export const embeddingsBody = Type.Object(
  {
    model: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 128,
        description:
          'use-lite (local) or an upstream model; default: the upstream model if any, else use-lite',
      }),
    ),
    input: Type.Union([text, Type.Array(text, { minItems: 1, maxItems: MAX_EMBEDDING_INPUTS })], {
      description: `A text or 1..${MAX_EMBEDDING_INPUTS} texts of 1..${MAX_EMBEDDING_CHARS} characters`,
    }),
    encoding_format: Type.Optional(
      Type.Union([Type.Literal('float'), Type.Literal('base64')], {
        description: 'base64: little-endian float32 bytes (what the openai client asks for by default)',
      }),
    ),
    dimensions: Type.Optional(
      Type.Integer({ minimum: 1, description: 'Must equal the model dimensions when given' }),
    ),
    user: Type.Optional(Type.String({ maxLength: 256 })),
    cache: Type.Optional(cacheField),
  },
  { additionalProperties: false },
)

/** `POST /v1/embeddings` body, as validated. */
export type EmbeddingsBody = Static<typeof embeddingsBody>

/** Route schema of `POST /v1/embeddings`. */
export const embeddingsSchema = {
  summary: 'Embeddings (OpenAI-compatible), cached per input',
  description:
    'Each input is cached on its own under a hash of (model, model version, text). Only the missing ' +
    'inputs reach the model, in one call. With UPSTREAM_BASE_URL, misses go to the paid upstream.',
  tags: ['models'],
  headers: Type.Object(cacheRequestHeaders),
  body: embeddingsBody,
  response: {
    200: Type.Object(
      {
        object: Type.Literal('list'),
        data: Type.Array(
          Type.Object({
            object: Type.Literal('embedding'),
            index: Type.Integer(),
            embedding: Type.Union([
              Type.Array(Type.Number()),
              Type.String({ description: 'base64 of little-endian float32' }),
            ]),
          }),
        ),
        model: Type.String(),
        usage: Type.Object({ prompt_tokens: Type.Integer(), total_tokens: Type.Integer() }),
      },
      { description: 'One vector per input, in input order', headers: batchCacheHeaders },
    ),
    ...postErrorResponses,
    404: errorResponse('The model is not served here (model_not_found)'),
    502: errorResponse('The upstream failed (upstream models only)'),
  },
} as const
