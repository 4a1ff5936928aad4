import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../app-context.js'
import { modelInfo } from '../models/model.js'

const modelSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    object: { type: 'string', enum: ['model'] },
    version: {
      type: 'string',
      description: 'Hash of weights/data, settings and code: part of every cache key',
    },
    kind: { type: 'string', enum: ['embeddings', 'tabular', 'chat'] },
    description: { type: 'string' },
    settings: { type: 'object', additionalProperties: true },
    owned_by: { type: 'string' },
  },
} as const

/** `GET /v1/models`: ids and versions of the models served. */
export function registerModelsRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/v1/models',
    {
      // Changes only with a deployment (the version is derived from the weights): cache the response.
      config: { responseCache: { ttl: '1h' } },
      schema: {
        summary: 'Models served, with their versions',
        tags: ['models'],
        response: {
          200: {
            type: 'object',
            properties: {
              object: { type: 'string', enum: ['list'] },
              data: { type: 'array', items: modelSchema },
            },
          },
        },
      },
    },
    async () => {
      const chat = ctx.models.chatModels.map((id) => ({
        id,
        object: 'model' as const,
        version: ctx.upstream?.identity ?? '',
        kind: 'chat' as const,
        description: `${id} on the upstream (chat completions, cached when deterministic)`,
        settings: {},
        owned_by: 'upstream',
      }))
      return { object: 'list', data: [...ctx.models.all().map(modelInfo), ...chat] }
    },
  )
}
