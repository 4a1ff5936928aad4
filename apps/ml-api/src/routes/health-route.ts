import { Type } from 'typebox'
import type { AppContext } from '../app-context.js'
import type { App } from '../http/typed-app.js'

/**
 * `GET /healthz`: liveness. Always 200 while the process serves: with Redis down the app still
 * answers (L1 + models), so a dead Redis must not get replicas restarted. It reports whether
 * Redis is reachable and the circuit breaker's state, for readiness checks and dashboards.
 */
export function registerHealthRoute(app: App, ctx: AppContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness, and whether Redis is reachable',
        tags: ['operations'],
        response: {
          200: Type.Object({
            status: Type.Literal('ok'),
            cache: Type.Union([Type.Literal('memory'), Type.Literal('redis')]),
            redis: Type.Optional(Type.Object({ reachable: Type.Boolean(), breaker: Type.String() })),
            models: Type.Record(Type.String(), Type.String(), { description: 'Version by model id' }),
          }),
        },
      },
    },
    async () => {
      const models = Object.fromEntries(ctx.models.all().map((m) => [m.id, m.version]))
      // The cache follows its Redis connection: no PING per probe.
      const remote = ctx.cache.health().tiers.remote
      if (remote === undefined) return { status: 'ok' as const, cache: 'memory' as const, models }
      const redis = { reachable: remote.connected === true, breaker: remote.breaker }
      return { status: 'ok' as const, cache: 'redis' as const, redis, models }
    },
  )
}
