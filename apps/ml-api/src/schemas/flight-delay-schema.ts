import { batchCacheHeaders, postErrorResponses } from './common-schemas.js'

/** Most rows in one flight-delay request. */
export const MAX_FLIGHT_ROWS = 256

/** Route schema of `POST /v1/predict/flight-delay`. */
export const flightDelaySchema = {
  summary: 'Flight departure delay (k-NN), cached per row',
  description:
    'Each row is cached on its own under a hash of (model, model version, row): key order and ' +
    'whitespace do not matter. Only the missing rows reach the model, in one call.',
  tags: ['models'],
  body: {
    type: 'object',
    required: ['inputs'],
    additionalProperties: false,
    properties: {
      inputs: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_FLIGHT_ROWS,
        items: {
          type: 'object',
          required: ['distance', 'hour'],
          additionalProperties: false,
          properties: {
            distance: { type: 'number', minimum: 1, maximum: 10_000, description: 'Miles' },
            hour: {
              type: 'number',
              minimum: 0,
              exclusiveMaximum: 24,
              description: 'Scheduled departure, hours after midnight (fractions allowed)',
            },
          },
        },
      },
    },
  },
  response: {
    200: {
      description: 'One prediction per row, in input order',
      headers: batchCacheHeaders,
      type: 'object',
      properties: {
        model: { type: 'string' },
        modelVersion: { type: 'string' },
        predictions: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              delayMinutes: { type: 'number', description: 'Mean delay of the k nearest flights' },
              probabilityDelayed: { type: 'number', description: 'Share of them more than 15 min late' },
              neighbors: { type: 'integer' },
            },
          },
        },
      },
    },
    ...postErrorResponses,
  },
} as const
