import { Type } from 'typebox'
import type { AppContext } from '../app-context.js'
import type { App } from '../http/typed-app.js'
import { historyResponse, statsResponse } from '../schemas/stats-schema.js'

/** `GET /cache/stats` (JSON counters) and `GET /metrics` (Prometheus text). */
export function registerStatsRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/cache/stats',
    {
      schema: {
        summary:
          'Cache figures of this process: hits, misses, hit ratio, items computed, time/tokens/money saved',
        description:
          'Totals at the top level, per model under `models`. Counters of this process only: with ' +
          'several replicas, sum them (or use /metrics).',
        tags: ['operations'],
        response: { 200: statsResponse },
      },
    },
    async () => {
      const core = ctx.cache.stats()
      return {
        ...ctx.stats.snapshot(),
        pricePer1kTokens: ctx.config.pricePer1kTokens,
        inflight: ctx.batch.inflight,
        cache: {
          backend: ctx.backend,
          entries: core.tiers.memory.entries,
          bytes: core.tiers.memory.bytes,
          errors: core.errors,
          ...(core.tiers.remote === undefined
            ? {}
            : {
                remote: {
                  hits: core.tiers.remote.hits,
                  errors: core.tiers.remote.errors,
                  breaker: core.tiers.remote.breaker,
                },
              }),
        },
      }
    },
  )
  app.get(
    '/cache/stats/history',
    {
      schema: {
        summary: 'The rolling series of the cache figures (the dashboard chart)',
        description:
          'Sampled by the server every HISTORY_INTERVAL_MS (5 s), HISTORY_POINTS (720) kept: a dashboard ' +
          'opened now shows the last hour at once.',
        tags: ['operations'],
        response: { 200: historyResponse },
      },
    },
    async () => ({ intervalMs: ctx.history.intervalMs, points: ctx.history.points() }),
  )
  app.get(
    '/metrics',
    {
      schema: {
        summary: 'Prometheus metrics',
        tags: ['operations'],
        produces: ['text/plain'],
        response: {
          200: {
            description: 'Prometheus text exposition format 0.0.4',
            content: { 'text/plain': { schema: Type.String() } },
          },
        },
      },
    },
    async (_request, reply) => {
      const { contentType, body } = await ctx.metrics.render()
      return reply.type(contentType).send(body)
    },
  )
}
