import type { BatchingOptions } from '../cache/model-batcher.js'

/** What one computed item costs and yields: the value plus what is needed to count savings. */
export interface ComputedItem<O> {
  /** The model's answer for this input. */
  value: O
  /** Tokens this input cost (0 when the model does not count tokens). */
  tokens: number
}

/** What kind of answers a model gives. */
export type ModelKind = 'embeddings' | 'tabular' | 'chat'

/**
 * A model served by the API. `predict` receives every input to compute in one call (a batch) and
 * answers in input order; the batch cache calls it only with inputs it could not find.
 */
export interface Model<I, O> {
  /** Stable id, as clients name it (`model` field, `/v1/models`). */
  readonly id: string
  /**
   * Version derived from the weights or data bytes, the settings and the code version. Part of
   * every cache key: a new version never serves an older version's answers.
   */
  readonly version: string
  /** What kind of answers the model gives. */
  readonly kind: ModelKind
  /** One line for `/v1/models` and the docs. */
  readonly description: string
  /** Settings that went into the version (k, rows, dimensions...). */
  readonly settings: Readonly<Record<string, string | number | boolean>>
  /** Price of 1k tokens when the model is a paid API (0 for local models). */
  readonly pricePer1kTokens: number
  /** True when the items come from a paid upstream API. */
  readonly paid: boolean
  /**
   * The model's own dynamic batching settings, over the defaults (an upstream API takes several
   * batches at once; a model in this process one). The operator's `MODEL_BATCHING` wins.
   */
  readonly batching?: Partial<BatchingOptions>
  /** Computes every input in one batch; the answer has one item per input, in order. */
  predict(inputs: readonly I[]): Promise<ComputedItem<O>[]>
}

/** A model of any input and output, for registries and stats. */
// biome-ignore lint/suspicious/noExplicitAny: a registry holds models of different input and output types.
export type AnyModel = Model<any, any>

/** Public facts of a model, as `/v1/models` lists them. */
export interface ModelInfo {
  id: string
  object: 'model'
  version: string
  kind: ModelKind
  description: string
  settings: Readonly<Record<string, string | number | boolean>>
  owned_by: string
}

/** The `/v1/models` entry of a model. */
export function modelInfo(model: AnyModel): ModelInfo {
  return {
    id: model.id,
    object: 'model',
    version: model.version,
    kind: model.kind,
    description: model.description,
    settings: model.settings,
    owned_by: model.paid ? 'upstream' : 'ml-api',
  }
}
