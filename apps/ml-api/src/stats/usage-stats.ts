import type { ComputeOutcome, LookupOutcome, UsageRecorder } from './usage-recorder.js'

/** Counters of one model (or of all models, in {@link StatsSnapshot}). */
export interface ModelCounters {
  /** Requests (batch or single). */
  requests: number
  /** Items asked for (a batch of 8 counts 8). */
  items: number
  /** Items answered from the cache. */
  hits: number
  /** Items not in the cache. */
  misses: number
  /** `hits / items`, 0 before the first item. */
  hitRatio: number
  /** Items that joined a computation already running for another request. */
  coalesced: number
  /** Items the model actually computed. */
  itemsComputed: number
  /** Model calls (one per batch of misses). */
  modelCalls: number
  /** Time spent computing, in seconds. */
  computeSeconds: number
  /** Compute time the hits saved, in seconds (each hit saves what its item cost). */
  computeSecondsSaved: number
  /** Tokens computed. */
  tokensComputed: number
  /** Tokens the hits saved. */
  tokensSaved: number
  /** Money spent on the paid upstream. */
  moneySpent: number
  /** Money the hits saved (paid upstream only). */
  moneySaved: number
}

/** Model facts shown next to its counters. */
export interface ModelFacts {
  version: string
  kind: string
  paid: boolean
}

/** What `GET /cache/stats` answers. */
export interface StatsSnapshot extends ModelCounters {
  /** Per model id. */
  models: Record<string, ModelCounters & Partial<ModelFacts>>
  /** Faults of the cache backend (Redis), by operation. */
  backendErrors: Record<string, number>
  /** Seconds since the app started. */
  uptimeSeconds: number
  /** Time of the snapshot (ms since epoch). */
  time: number
}

const zero = (): ModelCounters => ({
  requests: 0,
  items: 0,
  hits: 0,
  misses: 0,
  hitRatio: 0,
  coalesced: 0,
  itemsComputed: 0,
  modelCalls: 0,
  computeSeconds: 0,
  computeSecondsSaved: 0,
  tokensComputed: 0,
  tokensSaved: 0,
  moneySpent: 0,
  moneySaved: 0,
})

const SUMMED = Object.keys(zero()).filter((k) => k !== 'hitRatio') as (keyof ModelCounters)[]

/** The JSON counters behind `/cache/stats` and the dashboard, per model, in this process. */
export class UsageStats implements UsageRecorder {
  readonly #models = new Map<string, ModelCounters>()
  readonly #backendErrors: Record<string, number> = {}
  readonly #startedAt = Date.now()
  readonly #facts: (id: string) => ModelFacts | undefined

  /** `facts` gives the version and kind of a model id, for the snapshot. */
  constructor(facts: (id: string) => ModelFacts | undefined = () => undefined) {
    this.#facts = facts
  }

  /** Makes `id` appear in snapshots before its first request (the dashboard lists every model). */
  declare(id: string): void {
    if (!this.#models.has(id)) this.#models.set(id, zero())
  }

  #of(id: string): ModelCounters {
    let c = this.#models.get(id)
    if (c === undefined) this.#models.set(id, (c = zero()))
    return c
  }

  lookup(o: LookupOutcome): void {
    const c = this.#of(o.model)
    c.requests++
    c.items += o.items
    c.hits += o.hits
    c.misses += o.misses
    c.coalesced += o.coalesced
    c.computeSecondsSaved += o.saved.seconds
    c.tokensSaved += o.saved.tokens
    c.moneySaved += o.saved.money
  }

  compute(o: ComputeOutcome): void {
    const c = this.#of(o.model)
    c.modelCalls++
    c.itemsComputed += o.items
    c.computeSeconds += o.seconds
    c.tokensComputed += o.tokens
    c.moneySpent += o.money
  }

  backendError(operation: string): void {
    this.#backendErrors[operation] = (this.#backendErrors[operation] ?? 0) + 1
  }

  /** A copy of every counter, with totals over the models. */
  snapshot(): StatsSnapshot {
    const total = zero()
    const models: StatsSnapshot['models'] = {}
    for (const [id, c] of this.#models) {
      for (const k of SUMMED) total[k] += c[k]
      models[id] = { ...c, hitRatio: ratio(c), ...this.#facts(id) }
    }
    return {
      ...total,
      hitRatio: ratio(total),
      models,
      backendErrors: { ...this.#backendErrors },
      uptimeSeconds: Math.round((Date.now() - this.#startedAt) / 1000),
      time: Date.now(),
    }
  }
}

function ratio(c: ModelCounters): number {
  return c.items === 0 ? 0 : c.hits / c.items
}
