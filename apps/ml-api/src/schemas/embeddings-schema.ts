import { batchCacheHeaders, postErrorResponses } from './common-schemas.js'

/** Most inputs in one embeddings request. */
export const MAX_EMBEDDING_INPUTS = 256
/** Longest input text, in characters (UTF-16 code units). */
export const MAX_EMBEDDING_CHARS = 8192

const text = { type: 'string', minLength: 1, maxLength: MAX_EMBEDDING_CHARS } as const

/** `POST /v1/embeddings` body, OpenAI-compatible. */
export interface EmbeddingsBody {
  model?: string
  input: string | string[]
  encoding_format?: 'float' | 'base64'
  dimensions?: number
  user?: string
}

/** Route schema of `POST /v1/embeddings`. */
export const embeddingsSchema = {
  summary: 'Embeddings (OpenAI-compatible), cached per input',
  description:
    'Each input is cached on its own under a hash of (model, model version, text). Only the missing ' +
    'inputs reach the model, in one call. With UPSTREAM_BASE_URL, misses go to the paid upstream.',
  tags: ['models'],
  body: {
    type: 'object',
    required: ['input'],
    additionalProperties: false,
    properties: {
      model: {
        type: 'string',
        minLength: 1,
        maxLength: 128,
        description:
          'use-lite (local) or an upstream model; default: the upstream model if any, else use-lite',
      },
      input: {
        description: `A text or 1..${MAX_EMBEDDING_INPUTS} texts of 1..${MAX_EMBEDDING_CHARS} characters`,
        anyOf: [text, { type: 'array', minItems: 1, maxItems: MAX_EMBEDDING_INPUTS, items: text }],
      },
      encoding_format: {
        type: 'string',
        enum: ['float', 'base64'],
        description: 'base64: little-endian float32 bytes (what the openai client asks for by default)',
      },
      dimensions: { type: 'integer', minimum: 1, description: 'Must equal the model dimensions when given' },
      user: { type: 'string', maxLength: 256 },
    },
  },
  response: {
    200: {
      description: 'One vector per input, in input order',
      headers: batchCacheHeaders,
      type: 'object',
      properties: {
        object: { type: 'string', enum: ['list'] },
        data: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              object: { type: 'string', enum: ['embedding'] },
              index: { type: 'integer' },
              embedding: {
                anyOf: [
                  { type: 'array', items: { type: 'number' } },
                  { type: 'string', description: 'base64' },
                ],
              },
            },
          },
        },
        model: { type: 'string' },
        usage: {
          type: 'object',
          properties: { prompt_tokens: { type: 'integer' }, total_tokens: { type: 'integer' } },
        },
      },
    },
    ...postErrorResponses,
  },
} as const
