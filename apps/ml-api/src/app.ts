import { responseCachePlugin } from '@cache/fastify'
import { registerCacheMetrics } from '@cache/prometheus'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyInstance, LogController } from 'fastify'
import type { AppContext } from './app-context.js'
import { BatchCache } from './cache/batch-cache.js'
import { ChatCache } from './cache/chat-cache.js'
import { createAppCache } from './cache/create-app-cache.js'
import { DEFAULT_BATCHING } from './cache/model-batcher.js'
import { VersionLedger } from './cache/version-ledger.js'
import { type AppConfig, loadConfig } from './config.js'
import { registerBodyTimeout } from './http/body-timeout.js'
import { clientErrorHandler } from './http/client-error-handler.js'
import { registerErrorHandler } from './http/error-handler.js'
import { registerJsonContentType } from './http/json-content-type.js'
import { nodeServerOptions } from './http/node-server-options.js'
import { type LocalModels, loadModels } from './models/load-models.js'
import { ModelRegistry } from './models/model-registry.js'
import { registerAdminRoutes } from './routes/admin-routes.js'
import { registerChatRoute } from './routes/chat-route.js'
import { registerDashboardRoute } from './routes/dashboard-route.js'
import { registerEmbeddingsRoute } from './routes/embeddings-route.js'
import { registerFlightDelayRoute } from './routes/flight-delay-route.js'
import { registerHealthRoute } from './routes/health-route.js'
import { registerModelsRoute } from './routes/models-route.js'
import { registerStatsRoutes } from './routes/stats-routes.js'
import { BusyClocks } from './stats/busy-clock.js'
import { Metrics } from './stats/metrics.js'
import { StatsHistory } from './stats/stats-history.js'
import { fanOut } from './stats/usage-recorder.js'
import { UsageStats } from './stats/usage-stats.js'
import { UpstreamClient } from './upstream/upstream-client.js'

/** Options of {@link buildApp}. */
export interface BuildAppOptions {
  /**
   * Settings; missing ones take their defaults (not `process.env`: `main.ts` reads the
   * environment, so a test's `REDIS_URL` never leaks into an app built in that test).
   */
  config?: Partial<AppConfig>
  /** Models loaded beforehand (tests load them once per file); loaded here otherwise. */
  models?: LocalModels
  /** Fastify's logger. @default false (main.ts turns it on) */
  logger?: boolean
}

declare module 'fastify' {
  interface FastifyInstance {
    /** What the routes share: models, cache, stats (read it in tests and benchmarks). */
    mlApi: AppContext
  }
}

/**
 * Records the versions served, and with `dropOldVersions` drops the answers of the others. The
 * cache fails open, so a Redis outage at start-up costs the drop (logged), never the start.
 */
async function noteVersions(app: FastifyInstance, ctx: AppContext): Promise<void> {
  const served = ctx.models.versions()
  try {
    if (!ctx.config.dropOldVersions) return await ctx.ledger.note(served)
    const dropped = await ctx.ledger.dropOlder(served)
    app.log.info({ dropped }, 'dropped the cached answers of older model versions')
  } catch (error) {
    app.log.warn({ err: error }, 'could not record the model versions')
  }
}

/**
 * Builds the ML API without listening: `app.inject()` for tests and benchmarks, `app.listen()`
 * in `main.ts`. Closing the app closes the cache (and its Redis connections).
 */
export async function buildApp(options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const config: AppConfig = { ...loadConfig({}), ...options.config }
  const local =
    options.models ?? (await loadModels({ flightsRows: config.flightsRows, flightsK: config.flightsK }))
  const upstream =
    config.upstreamBaseUrl === undefined
      ? undefined
      : new UpstreamClient({
          baseUrl: config.upstreamBaseUrl,
          apiKey: config.upstreamApiKey,
          timeoutMs: config.upstreamTimeoutMs,
        })
  const models = new ModelRegistry(
    local,
    upstream && {
      client: upstream,
      embeddingModels: config.upstreamEmbeddingModels,
      chatModels: config.upstreamChatModels,
      pricePer1kTokens: config.pricePer1kTokens,
    },
    config.modelVersions,
  )
  const { cache, store, backend } = createAppCache({
    redisUrl: config.redisUrl,
    redisKeyPrefix: config.redisKeyPrefix,
    redisTimeoutMs: config.redisTimeoutMs,
    memoryMb: config.cacheMemoryMb,
  })
  const stats = new UsageStats((id) => {
    const m = models.byId(id)
    return m === undefined ? undefined : { version: m.version, kind: m.kind, paid: m.paid }
  })
  const metrics = new Metrics()
  // The cache's own series (hits/misses/stale/errors by tier, loads, bytes, breaker state) come
  // from the shared exporter; this app adds only its per-model figures on the same registry.
  registerCacheMetrics(cache, { registry: metrics.registry, prefix: 'cache_' })
  for (const id of [...models.all().map((m) => m.id), ...models.chatModels]) {
    stats.declare(id)
    metrics.declare(id)
  }
  const recorder = fanOut(stats, metrics)
  // Backend faults never fail a request (the cache fails open); they are counted here instead.
  cache.on('error', ({ operation, tier }) => {
    if (tier === 'remote') recorder.backendError(operation)
  })
  // One busy clock per model, whichever cache calls it: compute seconds never overlap.
  const clocks = new BusyClocks()
  const ctx: AppContext = {
    config,
    models,
    cache,
    store,
    backend,
    batch: new BatchCache(cache, recorder, config.cacheTtl, {
      clocks,
      batching: (model) => ({ ...DEFAULT_BATCHING, ...model.batching, ...config.modelBatching[model.id] }),
    }),
    chat:
      upstream &&
      new ChatCache(cache, recorder, upstream, {
        ttl: config.cacheTtl,
        pricePer1kTokens: config.pricePer1kTokens,
        clocks,
        versionOf: (model) => models.chatVersion(model),
      }),
    upstream,
    ledger: new VersionLedger(cache),
    stats,
    history: new StatsHistory(() => stats.snapshot(), {
      intervalMs: config.historyIntervalMs,
      maxPoints: config.historyPoints,
    }),
    metrics,
  }

  const app = Fastify({
    logger: options.logger === true ? { level: config.logLevel } : false,
    bodyLimit: config.bodyLimit,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.connectionTimeoutMs,
    http: nodeServerOptions(config.requestTimeoutMs),
    clientErrorHandler,
    // Type errors are the client's (400), never coerced; unknown properties fail instead of vanishing.
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, allErrors: false } },
    return503OnClosing: true,
    // One log line per request would cost more than a cache hit; errors are still logged.
    logController: new LogController({ disableRequestLogging: true }),
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.decorate('mlApi', ctx)
  ctx.history.start()
  app.addHook('onClose', async () => {
    ctx.history.stop()
    await cache.close()
  })
  registerJsonContentType(app)
  registerBodyTimeout(app, config.bodyTimeoutMs)
  registerErrorHandler(app)
  await app.register(swagger, {
    openapi: {
      // 3.1: its schemas are JSON Schema 2020-12, the dialect the route schemas are written in
      // (`exclusiveMaximum` is a number there, a boolean in 3.0).
      openapi: '3.1.0',
      info: {
        title: 'ML prediction API',
        version: '1.0.0',
        description:
          'Models in process (Universal Sentence Encoder lite, flight-delay k-NN) and a paid upstream, ' +
          'with every answer cached per item under (model, model version, input).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
  // Whole-response caching for the GET routes that opt in (`config.responseCache`): the shared
  // HTTP rules of @cache/core/http. Prediction routes cache per item instead (BatchCache).
  await app.register(responseCachePlugin, { cache, global: false, ttl: config.cacheTtl })
  registerDashboardRoute(app)
  registerEmbeddingsRoute(app, ctx)
  registerFlightDelayRoute(app, ctx)
  registerChatRoute(app, ctx)
  registerModelsRoute(app, ctx)
  registerHealthRoute(app, ctx)
  registerStatsRoutes(app, ctx)
  registerAdminRoutes(app, ctx)
  await noteVersions(app, ctx)
  return app
}
