import { ApiError } from '../http/api-error.js'
import type { UpstreamClient } from '../upstream/upstream-client.js'
import { UpstreamEmbeddingsModel } from '../upstream/upstream-embeddings-model.js'
import type { FlightInput, FlightPrediction } from './flight-delay-model.js'
import type { LocalModels } from './load-models.js'
import type { AnyModel, Model } from './model.js'
import { withVersion } from './with-version.js'

/** Upstream settings the registry needs. */
export interface RegistryUpstream {
  client: UpstreamClient
  embeddingModels: readonly string[]
  chatModels: readonly string[]
  pricePer1kTokens: number
}

/** Versions set by the operator, by model id (`MODEL_VERSIONS`): they replace derived ones. */
export type VersionOverrides = Readonly<Record<string, string>>

/**
 * Every model the app serves, by id: the local ones and, with an upstream, its allowed embeddings
 * models. Upstream model names are an allow-list: a client cannot make the app create caches,
 * stats rows or metric labels for arbitrary names.
 */
export class ModelRegistry {
  readonly local: LocalModels
  readonly #embeddings = new Map<string, Model<string, Float32Array>>()
  readonly #chatModels: ReadonlySet<string>
  readonly #defaultEmbeddings: string
  readonly #flightDelay: Model<FlightInput, FlightPrediction>
  readonly #overrides: VersionOverrides
  readonly #upstreamIdentity: string

  constructor(local: LocalModels, upstream?: RegistryUpstream, overrides: VersionOverrides = {}) {
    this.local = local
    this.#overrides = overrides
    this.#upstreamIdentity = upstream?.client.identity ?? ''
    const versioned = <I, O>(model: Model<I, O>): Model<I, O> => {
      const version = overrides[model.id]
      return version === undefined ? model : withVersion(model, version)
    }
    this.#flightDelay = versioned(local.flightDelay)
    this.#embeddings.set(local.embeddings.id, versioned(local.embeddings))
    for (const name of upstream?.embeddingModels ?? []) {
      this.#embeddings.set(
        name,
        versioned(new UpstreamEmbeddingsModel(upstream!.client, name, upstream!.pricePer1kTokens)),
      )
    }
    this.#chatModels = new Set(upstream?.chatModels ?? [])
    // With an upstream, embeddings go there unless the client names the local model.
    this.#defaultEmbeddings = upstream?.embeddingModels[0] ?? local.embeddings.id
  }

  /** The embeddings model named `name` (default when absent); a 404 `model_not_found` otherwise. */
  embeddings(name: string | undefined): Model<string, Float32Array> {
    const model = this.#embeddings.get(name ?? this.#defaultEmbeddings)
    if (model === undefined) {
      throw new ApiError(
        'model_not_found',
        `The model ${JSON.stringify(name)} is not served here; use one of: ${[...this.#embeddings.keys()].join(', ')}`,
        { param: 'model' },
      )
    }
    return model
  }

  /** True when `name` is an allowed upstream chat model. */
  isChatModel(name: string): boolean {
    return this.#chatModels.has(name)
  }

  /** Allowed upstream chat models. */
  get chatModels(): string[] {
    return [...this.#chatModels]
  }

  /** The flight-delay model (under its overridden version, if any). */
  get flightDelay(): Model<FlightInput, FlightPrediction> {
    return this.#flightDelay
  }

  /**
   * The version of an upstream chat model: what its cached answers are keyed on besides the
   * request. The upstream's address, and the operator's override when the provider changed what
   * the name serves.
   */
  chatVersion(id: string): string {
    return this.#overrides[id] ?? this.#upstreamIdentity
  }

  /** The id and current version of every model with cached answers, chat models included. */
  versions(): { id: string; version: string }[] {
    return [
      ...this.all().map((m) => ({ id: m.id, version: m.version })),
      ...this.chatModels.map((id) => ({ id, version: this.chatVersion(id) })),
    ]
  }

  /** Every model with cached items (for stats, metrics and admin invalidation by model). */
  all(): AnyModel[] {
    return [...this.#embeddings.values(), this.#flightDelay]
  }

  /** The model with id `id`, if served. */
  byId(id: string): AnyModel | undefined {
    return this.all().find((m) => m.id === id)
  }
}
