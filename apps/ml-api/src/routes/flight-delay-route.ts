import type { AppContext } from '../app-context.js'
import { requestCacheControl } from '../cache/request-cache-control.js'
import { sendJson, setBatchHeaders } from '../http/batch-headers.js'
import { tenantOf } from '../http/tenant.js'
import type { App } from '../http/typed-app.js'
import { flightDelaySchema } from '../schemas/flight-delay-schema.js'

/** `POST /v1/predict/flight-delay`: k-NN delay estimates, cached per row. */
export function registerFlightDelayRoute(app: App, ctx: AppContext): void {
  const model = ctx.models.flightDelay
  const allowed = new Set(ctx.config.clientCacheControl)
  app.post('/v1/predict/flight-delay', { schema: flightDelaySchema }, async (request, reply) => {
    const { inputs, cache } = request.body
    // Only the two features go into the key, whatever else the object carried.
    const rows = inputs.map((r) => ({ distance: r.distance, hour: r.hour }))
    const control = {
      ...requestCacheControl(request.headers, cache, allowed),
      tenant: tenantOf(ctx.config.modelCachePartition, request, undefined),
    }
    const result = await ctx.batch.resolve(model, rows, control)
    setBatchHeaders(reply, result, model.version)
    return sendJson(reply, {
      model: model.id,
      modelVersion: model.version,
      predictions: result.items.map((item) => item.value),
    })
  })
}
