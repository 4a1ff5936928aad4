/** What one batch lookup found: counted per item. */
export interface LookupOutcome {
  /** Model id. */
  model: string
  /** Items of the request (duplicates included). */
  items: number
  /** Items answered from the cache. */
  hits: number
  /** Items not in the cache (computed by this request or by a concurrent one). */
  misses: number
  /** Items that joined a computation another request had started. */
  coalesced: number
  /** Time of the cache lookup (`getMany`), in seconds. */
  lookupSeconds: number
  /** What the hits would have cost to compute: seconds, tokens, money. */
  saved: { seconds: number; tokens: number; money: number }
}

/** One model call. */
export interface ComputeOutcome {
  /** Model id. */
  model: string
  /** Items computed. */
  items: number
  /** Duration of the call, in seconds. */
  seconds: number
  /** Tokens the items cost. */
  tokens: number
  /** Money the call cost (paid upstream only). */
  money: number
}

/**
 * Receives what the caches observe. The JSON stats and the Prometheus metrics both implement it,
 * so the two never disagree on what was counted.
 */
export interface UsageRecorder {
  /** A batch (or single-item) lookup. */
  lookup(outcome: LookupOutcome): void
  /** A model call. */
  compute(outcome: ComputeOutcome): void
  /** A cache backend fault (Redis timeout, circuit open...), by operation. */
  backendError(operation: string): void
}

/** Fans every event out to several recorders. */
export function fanOut(...recorders: UsageRecorder[]): UsageRecorder {
  return {
    lookup: (o) => {
      for (const r of recorders) r.lookup(o)
    },
    compute: (o) => {
      for (const r of recorders) r.compute(o)
    },
    backendError: (op) => {
      for (const r of recorders) r.backendError(op)
    },
  }
}
