/**
 * `@cache/ml-api` as a library, for tests and benchmarks: build the app without listening, or
 * load the models once and build several apps on them.
 */

export { type BuildAppOptions, buildApp } from './app.js'
export type { AppContext } from './app-context.js'
export { BatchCache, type BatchResult, type CachedItem, itemKey, modelTag } from './cache/batch-cache.js'
export { type AppConfig, loadConfig } from './config.js'
export { LOCAL_EMBEDDINGS_ID } from './models/embeddings-model.js'
export { FLIGHT_DELAY_ID, type FlightInput, type FlightPrediction } from './models/flight-delay-model.js'
export { type LoadModelsOptions, type LocalModels, loadModels } from './models/load-models.js'
export type { ComputedItem, Model } from './models/model.js'
export type { StatsSnapshot } from './stats/usage-stats.js'
