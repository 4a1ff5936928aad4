import { type Static, Type } from 'typebox'
import { cacheField } from './cache-control-schema.js'
import { batchCacheHeaders, cacheRequestHeaders, postErrorResponses } from './common-schemas.js'

/** Most rows in one flight-delay request. */
export const MAX_FLIGHT_ROWS = 256

/** One departure to estimate. */
export const flightRow = Type.Object(
  {
    distance: Type.Number({ minimum: 1, maximum: 10_000, description: 'Miles' }),
    hour: Type.Number({
      minimum: 0,
      exclusiveMaximum: 24,
      description: 'Scheduled departure, hours after midnight (fractions allowed)',
    }),
  },
  { additionalProperties: false },
)

/** `POST /v1/predict/flight-delay` body. */
export const flightDelayBody = Type.Object(
  {
    inputs: Type.Array(flightRow, { minItems: 1, maxItems: MAX_FLIGHT_ROWS }),
    cache: Type.Optional(cacheField),
  },
  { additionalProperties: false },
)

/** `POST /v1/predict/flight-delay` body, as validated. */
export type FlightDelayBody = Static<typeof flightDelayBody>

/** Route schema of `POST /v1/predict/flight-delay`. */
export const flightDelaySchema = {
  summary: 'Flight departure delay (k-NN), cached per row',
  description:
    'Each row is cached on its own under a hash of (model, model version, row): key order and ' +
    'whitespace do not matter. Only the missing rows reach the model, in one call.',
  tags: ['models'],
  headers: Type.Object(cacheRequestHeaders),
  body: flightDelayBody,
  response: {
    200: Type.Object(
      {
        model: Type.String(),
        modelVersion: Type.String(),
        predictions: Type.Array(
          Type.Object({
            delayMinutes: Type.Number({ description: 'Mean delay of the k nearest flights' }),
            probabilityDelayed: Type.Number({ description: 'Share of them more than 15 min late' }),
            neighbors: Type.Integer(),
          }),
        ),
      },
      { description: 'One prediction per row, in input order', headers: batchCacheHeaders },
    ),
    ...postErrorResponses,
  },
} as const
