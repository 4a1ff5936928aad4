import { type Cache, type Duration, hashKey, parseDuration } from '@cache/core'
import { isApiError } from '../http/api-error.js'
import type { AnyModel, Model } from '../models/model.js'
import { BusyClocks } from '../stats/busy-clock.js'
import type { UsageRecorder } from '../stats/usage-recorder.js'
import { type BatchingOptions, DEFAULT_BATCHING, ModelBatcher } from './model-batcher.js'
import { keyPartition, NO_CONTROL, type RequestCacheControl, storeTtl } from './request-cache-control.js'

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
  /** When it was computed (ms since the epoch): its age, for a request's `max-age`. */
  at?: number
}

/** The answer of {@link BatchCache.resolve}. */
export interface BatchResult<O> {
  /** One item per input, in input order. */
  items: CachedItem<O>[]
  /** Inputs answered from the cache. */
  hits: number
  /** Inputs computed (by this request, or by a concurrent one it joined). */
  misses: number
  /** Distinct missing inputs that joined a computation another request had started. */
  joined: number
  /** Distinct inputs this request computed and stored (0 with `no-store`). */
  stored: number
  /** True when the request's own directives (`no-cache`, `max-age`) sent cached inputs to the model. */
  forced: boolean
}

/** The tag every cached item of `modelId` carries: invalidating it drops the model's answers. */
export const modelTag = (modelId: string): string => `model:${modelId}`

/** The tag of the items of one version of a model: invalidating it drops that version's answers. */
export const versionTag = (model: { id: string; version: string }): string =>
  `model:${model.id}@${model.version}`

/**
 * The cache key of one input: the canonical hash of model id, model version and input, and of
 * the request's partition (namespace, tenant) when it has one. Canonical, so JSON key order and
 * whitespace do not matter; the version makes a new model miss.
 */
export function itemKey(
  model: { id: string; version: string },
  input: unknown,
  partition?: { namespace?: string; tenant?: string },
): string {
  const parts = { model: model.id, version: model.version, input }
  return hashKey(partition === undefined ? parts : { ...parts, partition })
}

/** True when `item` may answer a request that accepts answers at most `maxAge` seconds old. */
export function freshEnough(item: { at?: number }, maxAge: number | undefined, now = Date.now()): boolean {
  if (maxAge === undefined) return true
  // An item stored before ages were recorded has an unknown age: too old for any bound.
  return item.at !== undefined && now - item.at <= maxAge * 1000
}

/**
 * Per-item caching of batch requests:
 * 1. one `getMany` for every distinct input of the request;
 * 2. each missing input goes through `getOrSet`, so the core's single flight joins it to a
 *    computation another request already runs for it (not recomputed), an invalidation that
 *    lands during the computation wins (the answer is returned, not stored) and, on Redis, the
 *    stampede lease lets one process compute a cold item while the others wait for it;
 * 3. the inputs whose loader runs go to the model's dynamic batcher ({@link ModelBatcher}):
 *    misses of concurrent requests share one `predict` call; each item is stored under its own key;
 * 4. answers are reassembled in input order.
 *
 * The request's cache control changes steps 1 to 3: `no-cache` skips the lookup, an item older
 * than `max-age` counts as missing, and both recompute without joining (the client asked for a
 * fresh computation) and overwrite the stored item; `no-store` computes without storing; `ttl`
 * shortens the TTL of what is stored; `namespace` (and the server's tenant) is part of every key.
 */
export class BatchCache {
  readonly #cache: Cache
  readonly #recorder: UsageRecorder
  readonly #ttlMs: number
  readonly #clocks: BusyClocks
  readonly #batching: (model: AnyModel) => BatchingOptions
  // Per model object, not per id: a test may serve two versions of one id side by side.
  readonly #batchers = new Map<AnyModel, ModelBatcher<unknown, CachedItem<unknown>>>()

  /**
   * `clocks` time the model calls (share them with other callers of the same models);
   * `batching` gives each model's batcher settings.
   */
  constructor(
    cache: Cache,
    recorder: UsageRecorder,
    ttl: Duration,
    options: { clocks?: BusyClocks; batching?: (model: AnyModel) => BatchingOptions } = {},
  ) {
    this.#cache = cache
    this.#recorder = recorder
    this.#ttlMs = parseDuration(ttl, 'ttl')
    this.#clocks = options.clocks ?? new BusyClocks()
    this.#batching = options.batching ?? (() => DEFAULT_BATCHING)
  }

  /** Items queued for or being computed by a model right now (for tests and the dashboard). */
  get inflight(): number {
    let n = 0
    for (const batcher of this.#batchers.values()) n += batcher.pending
    return n
  }

  /** Answers for `inputs`, in order, computing only what the cache does not hold. */
  async resolve<I, O>(
    model: Model<I, O>,
    inputs: readonly I[],
    control: RequestCacheControl = NO_CONTROL,
  ): Promise<BatchResult<O>> {
    const part = keyPartition(control)
    const keys = inputs.map((input) => itemKey(model, input, part))
    const inputOf = new Map<string, I>()
    keys.forEach((k, i) => {
      if (!inputOf.has(k)) inputOf.set(k, inputs[i]!)
    })
    const unique = [...inputOf.keys()]
    const started = performance.now()
    const found = control.noCache ? [] : await this.#cache.getMany<CachedItem<O>>(unique)
    const lookupSeconds = (performance.now() - started) / 1000

    const pending = new Map<string, CachedItem<O> | Promise<CachedItem<O>>>()
    const hitKeys = new Set<string>()
    let tooOld = 0
    let computed = 0
    let stored = 0
    const now = Date.now()
    const batcher = this.#batcher(model)
    const options = { ttl: storeTtl(control, this.#ttlMs), tags: [modelTag(model.id), versionTag(model)] }
    unique.forEach((key, i) => {
      const cached = found[i]
      if (cached !== undefined && freshEnough(cached, control.maxAge, now)) {
        pending.set(key, cached)
        hitKeys.add(key)
        return
      }
      if (cached !== undefined) tooOld++
      const input = inputOf.get(key)!
      if (control.noCache || control.noStore || cached !== undefined) {
        // The client asked for a fresh answer, or for none to be kept: no joining, no getOrSet.
        computed++
        pending.set(
          key,
          batcher.submit(input).then(async (item) => {
            if (control.noStore) return item
            await this.#cache.set(key, item, options)
            stored++
            return item
          }),
        )
        return
      }
      const loader = () => {
        computed++
        stored++
        return batcher.submit(input)
      }
      pending.set(key, this.#cache.getOrSet<CachedItem<O>>(key, loader, options))
    })

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
    // A missing item whose loader did not run joined a computation already running.
    const joined = unique.length - hitKeys.size - computed
    this.#recorder.lookup({
      model: model.id,
      items: keys.length,
      hits,
      misses,
      coalesced: joined,
      lookupSeconds,
      saved,
    })
    return { items, hits, misses, joined, stored, forced: control.noCache || tooOld > 0 }
  }

  #batcher<I, O>(model: Model<I, O>): ModelBatcher<I, CachedItem<O>> {
    let batcher = this.#batchers.get(model) as ModelBatcher<I, CachedItem<O>> | undefined
    if (batcher === undefined) {
      batcher = new ModelBatcher(
        this.#batching(model),
        (inputs) => this.#compute(model, inputs),
        // A 4xx from a model is about its input (an upstream refusing one text), not the model.
        (error) => isApiError(error) && error.statusCode < 500,
      )
      this.#batchers.set(model, batcher as ModelBatcher<unknown, CachedItem<unknown>>)
    }
    return batcher
  }

  /**
   * One model call, recorded. Its seconds are its share of the model's busy time (overlapping
   * calls share the time they overlap, see `BusyClock`), shared equally among its items.
   */
  async #compute<I, O>(model: Model<I, O>, inputs: I[]): Promise<CachedItem<O>[]> {
    const { value: computed, seconds } = await this.#clocks.of(model.id).time(() => model.predict(inputs))
    const perItem = seconds / Math.max(1, inputs.length)
    let tokens = 0
    const items = computed.map((c) => {
      tokens += c.tokens
      const money = model.paid ? (c.tokens * model.pricePer1kTokens) / 1000 : 0
      return { value: c.value, tokens: c.tokens, seconds: perItem, money, at: Date.now() }
    })
    const money = items.reduce((a, b) => a + b.money, 0)
    this.#recorder.compute({ model: model.id, items: inputs.length, seconds, tokens, money })
    return items
  }
}
