import type { Model } from './model.js'

/**
 * `model` under another version: the operator's override (`MODEL_VERSIONS`), for a change the
 * derived version cannot see (a retrained upstream model behind the same name, a fix to the
 * answers' post-processing). Everything else, `predict` included, is the model's own.
 */
export function withVersion<I, O>(model: Model<I, O>, version: string): Model<I, O> {
  return {
    id: model.id,
    version,
    kind: model.kind,
    description: model.description,
    settings: model.settings,
    pricePer1kTokens: model.pricePer1kTokens,
    paid: model.paid,
    ...(model.batching === undefined ? {} : { batching: model.batching }),
    predict: (inputs) => model.predict(inputs),
  }
}
