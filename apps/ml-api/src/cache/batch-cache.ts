import { type Cache, type Duration, hashKey } from '@cache/core'
import type { Model } from '../models/model.js'
import type { UsageRecorder } from '../stats/usage-recorder.js'

/** What the cache holds for one input: the answer and what computing it cost. */
export interface CachedItem<O> {
  /** The model's answer. */
  value: O
  /** Tokens the input cost. */
  tokens: number
  /** Share of the model call's duration, in seconds: what a hit saves. */
  seconds: number
  /** Money the input cost (paid upstream only). */
  money: number
}

/** The answer of {@link BatchCache.resolve}. */
export interface BatchResult<O> {
  /** One item per input, in input order. */
  items: CachedItem<O>[]
  /** Inputs answered from the cache. */
  hits: number
  /** Inputs computed (by this request, or by a concurrent one it joined). */
  misses: number
}

/** The tag every cached item of `modelId` carries: invalidating it drops the model's answers. */
export const modelTag = (modelId: string): string => `model:${modelId}`

/**
 * The cache key of one input: the canonical hash of model id, model version and input. Canonical,
 * so JSON key order and whitespace do not matter; the version makes a new model miss.
 */
export function itemKey(model: { id: string; version: string }, input: unknown): string {
  return hashKey({ model: model.id, version: model.version, input })
}

/**
 * Per-item caching of batch requests:
 * 1. one `getMany` for every distinct input of the request;
 * 2. a missing input that another request is already computing joins that computation (the
 *    in-flight map, per instance, never module-global);
 * 3. the rest goes to the model in one `predict` call; each item is stored through `getOrSet`, so
 *    the core's rules hold per item: an invalidation that lands during the computation wins (the
 *    answer is returned, not stored) and, on Redis, the stampede lease lets one process compute a
 *    cold item while the others wait for it;
 * 4. answers are reassembled in input order.
 */
export class BatchCache {
  readonly #cache: Cache
  readonly #recorder: UsageRecorder
  readonly #ttl: Duration
  readonly #inflight = new Map<string, Promise<CachedItem<unknown>>>()

  constructor(cache: Cache, recorder: UsageRecorder, ttl: Duration) {
    this.#cache = cache
    this.#recorder = recorder
    this.#ttl = ttl
  }

  /** Items being computed right now (for tests and the dashboard). */
  get inflight(): number {
    return this.#inflight.size
  }

  /** Answers for `inputs`, in order, computing only what the cache does not hold. */
  async resolve<I, O>(model: Model<I, O>, inputs: readonly I[]): Promise<BatchResult<O>> {
    const keys = inputs.map((input) => itemKey(model, input))
    const inputOf = new Map<string, I>()
    keys.forEach((k, i) => {
      if (!inputOf.has(k)) inputOf.set(k, inputs[i]!)
    })
    const unique = [...inputOf.keys()]
    const started = performance.now()
    const found = await this.#cache.getMany<CachedItem<O>>(unique)
    const lookupSeconds = (performance.now() - started) / 1000

    const pending = new Map<string, CachedItem<O> | Promise<CachedItem<O>>>()
    const hitKeys = new Set<string>()
    const owned: string[] = []
    let coalesced = 0
    // Synchronous from here to the map writes: two requests cannot both claim one key.
    unique.forEach((key, i) => {
      const cached = found[i]
      if (cached !== undefined) {
        pending.set(key, cached)
        hitKeys.add(key)
        return
      }
      const running = this.#inflight.get(key) as Promise<CachedItem<O>> | undefined
      if (running !== undefined) {
        pending.set(key, running)
        coalesced++
      } else owned.push(key)
    })
    if (owned.length > 0) {
      const promises = this.#computeOwned(
        model,
        owned,
        owned.map((k) => inputOf.get(k)!),
      )
      owned.forEach((key, j) => {
        pending.set(key, promises[j]!)
      })
    }

    const resolved = new Map<string, CachedItem<O>>()
    await Promise.all(
      [...pending].map(async ([key, p]) => {
        resolved.set(key, await p)
      }),
    )
    const items = keys.map((k) => resolved.get(k)!)
    let hits = 0
    const saved = { seconds: 0, tokens: 0, money: 0 }
    keys.forEach((k, i) => {
      if (!hitKeys.has(k)) return
      hits++
      const item = items[i]!
      saved.seconds += item.seconds
      saved.tokens += item.tokens
      saved.money += item.money
    })
    const misses = keys.length - hits
    this.#recorder.lookup({
      model: model.id,
      items: keys.length,
      hits,
      misses,
      coalesced,
      lookupSeconds,
      saved,
    })
    return { items, hits, misses }
  }

  /**
   * Starts the items this request owns. The model call is lazy and shared: the first item whose
   * `getOrSet` really needs a value starts one `predict` for all owned inputs, the others reuse it.
   */
  #computeOwned<I, O>(model: Model<I, O>, keys: string[], inputs: I[]): Promise<CachedItem<O>>[] {
    let job: Promise<CachedItem<O>[]> | undefined
    const run = () => (job ??= this.#compute(model, inputs))
    const options = { ttl: this.#ttl, tags: [modelTag(model.id)] }
    return keys.map((key, j) => {
      const promise = this.#cache.getOrSet<CachedItem<O>>(key, async () => (await run())[j]!, options)
      this.#inflight.set(key, promise as Promise<CachedItem<unknown>>)
      const done = () => {
        if (this.#inflight.get(key) === promise) this.#inflight.delete(key)
      }
      // Both branches: a `.finally` would create a second promise whose rejection nobody handles.
      promise.then(done, done)
      return promise
    })
  }

  /** One model call, timed and recorded; the duration is shared equally among the items. */
  async #compute<I, O>(model: Model<I, O>, inputs: I[]): Promise<CachedItem<O>[]> {
    const started = performance.now()
    const computed = await model.predict(inputs)
    const seconds = (performance.now() - started) / 1000
    const perItem = seconds / Math.max(1, inputs.length)
    let tokens = 0
    const items = computed.map((c) => {
      tokens += c.tokens
      const money = model.paid ? (c.tokens * model.pricePer1kTokens) / 1000 : 0
      return { value: c.value, tokens: c.tokens, seconds: perItem, money }
    })
    const money = items.reduce((a, b) => a + b.money, 0)
    this.#recorder.compute({ model: model.id, items: inputs.length, seconds, tokens, money })
    return items
  }
}
