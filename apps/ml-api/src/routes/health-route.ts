import type { FastifyInstance } from 'fastify'
import type { AppContext } from '../app-context.js'

/**
 * `GET /healthz`: liveness. Always 200 while the process serves: with Redis down the app still
 * answers (L1 + models), so a dead Redis must not get replicas restarted. It reports whether
 * Redis is reachable and the circuit breaker's state, for readiness checks and dashboards.
 */
export function registerHealthRoute(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/healthz',
    {
      schema: {
        summary: 'Liveness, and whether Redis is reachable',
        tags: ['operations'],
        response: {
          200: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: ['ok'] },
              cache: { type: 'string', enum: ['memory', 'redis'] },
              redis: {
                type: 'object',
                properties: { reachable: { type: 'boolean' }, breaker: { type: 'string' } },
              },
              models: { type: 'object', additionalProperties: { type: 'string' } },
            },
          },
        },
      },
    },
    async () => {
      const models = Object.fromEntries(ctx.models.all().map((m) => [m.id, m.version]))
      // The cache follows its Redis connection: no PING per probe.
      const remote = ctx.cache.health().tiers.remote
      if (remote === undefined) return { status: 'ok', cache: 'memory', models }
      const redis = { reachable: remote.connected === true, breaker: remote.breaker }
      return { status: 'ok', cache: 'redis', redis, models }
    },
  )
}
