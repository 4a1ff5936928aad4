import { LocalEmbeddingsModel } from './embeddings-model.js'
import { FlightDelayModel } from './flight-delay-model.js'

/** The in-process models, loaded once at startup. */
export interface LocalModels {
  /** Universal Sentence Encoder lite. */
  embeddings: LocalEmbeddingsModel
  /** Flight-delay k-NN. */
  flightDelay: FlightDelayModel
}

/** Settings of {@link loadModels}. */
export interface LoadModelsOptions {
  /** Flight rows of the k-NN model. @default 50000 */
  flightsRows?: number
  /** Neighbours of the k-NN model. @default 15 */
  flightsK?: number
}

/**
 * Loads both local models in parallel (offline: weights and data come from installed packages).
 * Tests load them once per file and pass them to several `buildApp` calls.
 */
export async function loadModels(options: LoadModelsOptions = {}): Promise<LocalModels> {
  const [embeddings, flightDelay] = await Promise.all([
    LocalEmbeddingsModel.load(),
    FlightDelayModel.load({ rows: options.flightsRows ?? 50_000, k: options.flightsK ?? 15 }),
  ])
  return { embeddings, flightDelay }
}
