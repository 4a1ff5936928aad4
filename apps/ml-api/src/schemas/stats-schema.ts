import { Type } from 'typebox'

const counters = {
  requests: Type.Integer({ description: 'Requests (a batch counts once)' }),
  items: Type.Integer({ description: 'Items asked for (a batch of 8 counts 8)' }),
  hits: Type.Integer({ description: 'Items answered from the cache' }),
  misses: Type.Integer({ description: 'Items not in the cache' }),
  hitRatio: Type.Number({ minimum: 0, maximum: 1 }),
  coalesced: Type.Integer({ description: 'Missing items that joined a computation already running' }),
  itemsComputed: Type.Integer({ description: 'Items the model actually computed' }),
  modelCalls: Type.Integer({ description: 'Model calls (one per batch of misses)' }),
  computeSeconds: Type.Number({ description: 'Busy time of the model, seconds' }),
  computeSecondsSaved: Type.Number({ description: 'Compute time the hits saved, seconds' }),
  tokensComputed: Type.Integer(),
  tokensSaved: Type.Integer(),
  moneySpent: Type.Number(),
  moneySaved: Type.Number(),
}

/** The answer of `GET /cache/stats`. */
export const statsResponse = Type.Object(
  {
    ...counters,
    models: Type.Record(
      Type.String(),
      Type.Object({
        ...counters,
        version: Type.Optional(Type.String()),
        kind: Type.Optional(Type.String()),
        paid: Type.Optional(Type.Boolean()),
      }),
      { description: 'Per model id' },
    ),
    backendErrors: Type.Record(Type.String(), Type.Integer(), {
      description: 'Cache backend (Redis) faults by operation',
    }),
    uptimeSeconds: Type.Integer(),
    time: Type.Integer({ description: 'Time of the snapshot, ms since the epoch' }),
    pricePer1kTokens: Type.Number(),
    inflight: Type.Integer({ description: 'Items being computed right now' }),
    cache: Type.Object({
      backend: Type.Union([Type.Literal('memory'), Type.Literal('redis')]),
      entries: Type.Integer({ description: 'Entries in the memory tier' }),
      bytes: Type.Integer({ description: 'Bytes in the memory tier' }),
      errors: Type.Integer(),
      remote: Type.Optional(
        Type.Object({ hits: Type.Integer(), errors: Type.Integer(), breaker: Type.String() }),
      ),
    }),
  },
  { description: 'Counters of this process' },
)

/** The answer of `GET /cache/stats/history`. */
export const historyResponse = Type.Object(
  {
    intervalMs: Type.Integer({ description: 'Time between two samples' }),
    points: Type.Array(
      Type.Object({
        time: Type.Integer({ description: 'ms since the epoch' }),
        hitRatio: Type.Number({ minimum: 0, maximum: 1 }),
        hits: Type.Integer(),
        misses: Type.Integer(),
        itemsComputed: Type.Integer(),
        computeSeconds: Type.Number(),
      }),
      { description: 'Cumulative counters, oldest first' },
    ),
  },
  { description: 'The rolling series of this process (one hour at 5 s by default)' },
)
