import { createHash } from 'node:crypto'
import { ApiError } from '../http/api-error.js'
import type { ComputedItem, Model } from '../models/model.js'
import { modelVersion } from '../models/model-version.js'
import { base64ToFloat32 } from './float32-base64.js'
import type { UpstreamClient } from './upstream-client.js'

interface UpstreamEmbeddingsAnswer {
  data?: { index?: number; embedding?: number[] | string }[]
  usage?: { prompt_tokens?: number; total_tokens?: number }
}

/**
 * An embeddings model served by a paid OpenAI-compatible upstream. Misses of `/v1/embeddings`
 * go there in one call. Vectors are always requested as base64 (exact float32 bytes) whatever the
 * client asked for; the route converts. The version hashes the upstream's address and the model
 * name: pointing the app at another upstream never serves the previous one's vectors.
 */
export class UpstreamEmbeddingsModel implements Model<string, Float32Array> {
  readonly kind = 'embeddings' as const
  readonly paid = true
  // The calls run on the upstream: several batches at once cost no local CPU.
  readonly batching = { maxConcurrentBatches: 4 }
  readonly id: string
  readonly version: string
  readonly description: string
  readonly settings: Readonly<Record<string, string>>
  readonly pricePer1kTokens: number
  readonly #client: UpstreamClient

  constructor(client: UpstreamClient, model: string, pricePer1kTokens: number) {
    this.#client = client
    this.id = model
    this.pricePer1kTokens = pricePer1kTokens
    // Everything that shapes the vectors: where, which model, and how they are asked for (always
    // base64 float32 at the model's native size: `dimensions` is never forwarded).
    this.settings = { upstream: client.identity, model, encoding: 'base64-float32', dimensions: 'native' }
    this.description = `${model} on the upstream ${client.identity} (paid per token)`
    this.version = modelVersion(createHash('sha256').update(client.identity).digest('hex'), this.settings)
  }

  async predict(inputs: readonly string[]): Promise<ComputedItem<Float32Array>[]> {
    const answer = await this.#client.postJson<UpstreamEmbeddingsAnswer>('embeddings', {
      model: this.id,
      input: inputs,
      encoding_format: 'base64',
    })
    const data = answer.data
    if (!Array.isArray(data) || data.length !== inputs.length) {
      throw new ApiError('upstream_error', `upstream embeddings: expected ${inputs.length} vectors`)
    }
    const vectors = new Array<Float32Array>(inputs.length)
    data.forEach((item, position) => {
      const index = typeof item.index === 'number' ? item.index : position
      const e = item.embedding
      // An upstream that ignores encoding_format answers float arrays: accept both.
      const vector =
        typeof e === 'string' ? base64ToFloat32(e) : Array.isArray(e) ? Float32Array.from(e) : undefined
      if (vector === undefined || vector.length === 0 || index < 0 || index >= inputs.length) {
        throw new ApiError('upstream_error', `upstream embeddings: unusable vector at ${position}`)
      }
      vectors[index] = vector
    })
    if (vectors.some((v) => v === undefined)) {
      throw new ApiError('upstream_error', 'upstream embeddings: missing vectors')
    }
    const tokens = splitTokens(answer.usage?.prompt_tokens ?? answer.usage?.total_tokens ?? 0, inputs)
    return vectors.map((value, i) => ({ value, tokens: tokens[i]! }))
  }
}

/**
 * The upstream bills a batch as one token count: share it among the inputs by length (largest
 * remainder, so the shares add up to the total exactly). Per-item counts are estimates; their
 * sum is what was billed.
 */
export function splitTokens(total: number, inputs: readonly string[]): number[] {
  const lengths = inputs.map((s) => Math.max(1, s.length))
  const sum = lengths.reduce((a, b) => a + b, 0)
  const exact = lengths.map((l) => (total * l) / sum)
  const shares = exact.map(Math.floor)
  let left = total - shares.reduce((a, b) => a + b, 0)
  const order = exact.map((e, i) => ({ i, r: e - Math.floor(e) })).sort((a, b) => b.r - a.r || a.i - b.i)
  for (const { i } of order) {
    if (left <= 0) break
    shares[i]!++
    left--
  }
  return shares
}
