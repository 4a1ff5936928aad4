import { Type } from 'typebox'
import type { AppContext } from '../app-context.js'
import type { App } from '../http/typed-app.js'
import { modelInfo } from '../models/model.js'
import { responseCacheHeaders } from '../schemas/common-schemas.js'

const modelSchema = Type.Object({
  id: Type.String(),
  object: Type.Literal('model'),
  version: Type.String({ description: 'Hash of weights/data, settings and code: part of every cache key' }),
  kind: Type.Union([Type.Literal('embeddings'), Type.Literal('tabular'), Type.Literal('chat')]),
  description: Type.String(),
  settings: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
  owned_by: Type.String(),
})

/** `GET /v1/models`: ids and versions of the models served. */
export function registerModelsRoute(app: App, ctx: AppContext): void {
  app.get(
    '/v1/models',
    {
      // Changes only with a deployment (the version is derived from the weights): cache the response.
      config: { responseCache: { ttl: '1h' } },
      schema: {
        summary: 'Models served, with their versions',
        tags: ['models'],
        response: {
          200: Type.Object(
            { object: Type.Literal('list'), data: Type.Array(modelSchema) },
            { headers: responseCacheHeaders },
          ),
        },
      },
    },
    async () => {
      const chat = ctx.models.chatModels.map((id) => ({
        id,
        object: 'model' as const,
        version: ctx.models.chatVersion(id),
        kind: 'chat' as const,
        description: `${id} on the upstream (chat completions, cached when deterministic)`,
        settings: {},
        owned_by: 'upstream',
      }))
      return { object: 'list' as const, data: [...ctx.models.all().map(modelInfo), ...chat] }
    },
  )
}
