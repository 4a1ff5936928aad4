import { Type } from 'typebox'
import type { AppContext } from '../app-context.js'
import { modelTag } from '../cache/batch-cache.js'
import { adminGuard } from '../http/admin-auth.js'
import { invalidInput } from '../http/api-error.js'
import type { App } from '../http/typed-app.js'
import { adminSecurity, errorResponse, postErrorResponses } from '../schemas/common-schemas.js'

const adminErrors = {
  401: errorResponse('Missing or wrong bearer token'),
  404: errorResponse('Admin routes are off (ADMIN_TOKEN unset)'),
} as const

/** `POST /cache/invalidate` body. */
const invalidateBody = Type.Object(
  {
    model: Type.Optional(
      Type.String({ minLength: 1, maxLength: 128, description: 'A model id of /v1/models' }),
    ),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 256 }), {
        minItems: 1,
        maxItems: 100,
        description: 'Raw cache tags (every item carries model:<id>)',
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
)

/**
 * `POST /cache/invalidate` (by model or tags) and `DELETE /cache` (everything). Both reach every
 * replica through the cache's invalidation bus on Redis, and win over computations in flight:
 * their answers are returned but not stored.
 */
export function registerAdminRoutes(app: App, ctx: AppContext): void {
  const onRequest = adminGuard(ctx.config.adminToken)
  app.post(
    '/cache/invalidate',
    {
      onRequest,
      schema: {
        summary: 'Invalidate cached answers of a model, or by tags (admin)',
        tags: ['admin'],
        security: adminSecurity,
        body: invalidateBody,
        response: {
          200: Type.Object(
            { invalidated: Type.Array(Type.String()) },
            { description: 'The tags invalidated' },
          ),
          ...postErrorResponses,
          ...adminErrors,
        },
      },
    },
    async (request) => {
      const body = request.body
      const tags = [...(body.tags ?? [])]
      if (body.model !== undefined) {
        const known = ctx.models.byId(body.model) !== undefined || ctx.models.isChatModel(body.model)
        if (!known) throw invalidInput(`$.model: no model ${JSON.stringify(body.model)}`)
        tags.push(modelTag(body.model))
      }
      await ctx.cache.invalidateTags(tags)
      request.log.info({ tags }, 'cache invalidated')
      return { invalidated: tags }
    },
  )
  app.post(
    '/cache/drop-old-versions',
    {
      onRequest,
      schema: {
        summary: 'Drop the cached answers of every model version other than the one served (admin)',
        description:
          'Every answer is tagged with its model version; the versions seen are kept in the cache. ' +
          'DROP_OLD_VERSIONS=true does the same at start-up.',
        tags: ['admin'],
        security: adminSecurity,
        response: {
          200: Type.Object(
            { dropped: Type.Record(Type.String(), Type.Array(Type.String())) },
            { description: 'The versions dropped, by model id' },
          ),
          ...adminErrors,
        },
      },
    },
    async (request) => {
      const dropped = await ctx.ledger.dropOlder(ctx.models.versions())
      request.log.info({ dropped }, 'older model versions dropped')
      return { dropped }
    },
  )
  app.delete(
    '/cache',
    {
      onRequest,
      schema: {
        summary: 'Clear every cached answer (admin)',
        tags: ['admin'],
        security: adminSecurity,
        response: { 200: Type.Object({ cleared: Type.Boolean() }), ...adminErrors },
      },
    },
    async (request) => {
      await ctx.cache.clear()
      request.log.info('cache cleared')
      return { cleared: true }
    },
  )
}
