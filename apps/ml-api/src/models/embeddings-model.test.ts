import { beforeAll, describe, expect, it } from 'vitest'
import { bucketOf, EMBEDDING_DIMENSIONS, LocalEmbeddingsModel, TOKEN_BUCKET } from './embeddings-model.js'

let model: LocalEmbeddingsModel
beforeAll(async () => {
  model = await LocalEmbeddingsModel.load()
})

const bits = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')

// Lengths from 1 to ~40 tokens, so batches mix padded widths (8, 16, 24, 32, 40).
const SENTENCES = [
  'hello',
  'hello world',
  'The quick brown fox jumps over the lazy dog',
  'Caching pays for itself on every repeated input.',
  'Un café, s’il vous plaît — déjà vu 🎉',
  'a',
  'Embeddings map sentences to vectors so that similar meanings end up close together in space.',
  'Flights leaving in the evening are delayed more often than early morning departures, as delays ' +
    'propagate through the day from one leg to the next across the whole network.',
  '   spaces   around   ',
  '1234 5678',
]

describe('LocalEmbeddingsModel (Universal Sentence Encoder lite)', () => {
  it('gives 512 float32 dimensions and a token count per input', async () => {
    const [item] = await model.predict(['hello world'])
    expect(item!.value).toBeInstanceOf(Float32Array)
    expect(item!.value).toHaveLength(EMBEDDING_DIMENSIONS)
    expect(item!.tokens).toBe(model.countTokens('hello world'))
    expect(item!.tokens).toBeGreaterThan(0)
    expect(model.version).toMatch(/^[0-9a-f]{16}$/)
  })

  it('gives a sentence bit-identical vectors alone and inside any batch', async () => {
    const alone = new Map<string, string>()
    for (const s of SENTENCES) alone.set(s, bits((await model.predict([s]))[0]!.value))
    const batches = [
      SENTENCES,
      [...SENTENCES].reverse(),
      SENTENCES.slice(2, 7),
      [SENTENCES[7]!, SENTENCES[0]!],
    ]
    for (const batch of batches) {
      const out = await model.predict(batch)
      batch.forEach((s, i) => {
        expect(bits(out[i]!.value), `${JSON.stringify(s)} in a batch of ${batch.length}`).toBe(alone.get(s))
      })
    }
    // And again later: no state carried between calls.
    expect(bits((await model.predict([SENTENCES[3]!]))[0]!.value)).toBe(alone.get(SENTENCES[3]!))
  })

  it('gives the same vectors when calls overlap (requests run concurrently)', async () => {
    const sequential = await model.predict(SENTENCES)
    const concurrent = await Promise.all(SENTENCES.map((s) => model.predict([s, SENTENCES[0]!])))
    concurrent.forEach((out, i) => {
      expect(bits(out[0]!.value)).toBe(bits(sequential[i]!.value))
    })
  })

  it('puts similar sentences closer than unrelated ones', async () => {
    const [a, b, c] = await model.predict(['I love my dog', 'I adore my puppy', 'Interest rates rose again'])
    const cos = (x: Float32Array, y: Float32Array) => {
      let dot = 0
      let nx = 0
      let ny = 0
      for (let i = 0; i < x.length; i++) {
        dot += x[i]! * y[i]!
        nx += x[i]! ** 2
        ny += y[i]! ** 2
      }
      return dot / Math.sqrt(nx * ny)
    }
    expect(cos(a!.value, b!.value)).toBeGreaterThan(cos(a!.value, c!.value))
  })

  it('pads token lengths to fixed buckets', () => {
    expect(bucketOf(1)).toBe(TOKEN_BUCKET)
    expect(bucketOf(TOKEN_BUCKET)).toBe(TOKEN_BUCKET)
    expect(bucketOf(TOKEN_BUCKET + 1)).toBe(2 * TOKEN_BUCKET)
  })
})
