import { CacheError, errors } from '@cache/core'
import { assertKnownOptions, type OptionFlags, optionKeys } from '@cache/core/plugin'

/** Progress of a {@link runConcurrent} run, reported after every item. */
export interface RunProgress {
  /** Items finished (succeeded or failed). */
  done: number
  /** Items that failed. */
  failed: number
  /** Total items when known (an array or `options.total`), else `undefined`. */
  total: number | undefined
  /** Ms since the start. */
  elapsedMs: number
  /** Items per second so far. */
  rate: number
}

/** Options of {@link runConcurrent}. */
export interface RunOptions {
  /** Items in flight at once. @default 8 */
  concurrency?: number
  /** Total number of items, for progress, when the input is not an array. @default the array length, else undefined */
  total?: number
  /** Called after every item. @default undefined */
  onProgress?: (progress: RunProgress) => void
  /** Failures kept with their item and error (all are counted). @default 100 */
  maxFailures?: number
  /** Stops taking new items; the run rejects with the abort reason once the items in flight settle. @default undefined */
  signal?: AbortSignal
}

/** Every key of {@link RunOptions}, checked both ways by the compiler. */
export const RUN_FLAGS = {
  concurrency: true,
  total: true,
  onProgress: true,
  maxFailures: true,
  signal: true,
} as const satisfies OptionFlags<RunOptions>

const RUN_OPTIONS = optionKeys<RunOptions>(RUN_FLAGS)

/** One failed item of a {@link runConcurrent} run. */
export interface RunFailure<I> {
  /** 0-based position of the item in the input. */
  index: number
  /** The item. */
  item: I
  /** What the worker threw. */
  error: unknown
}

/**
 * Runs `worker` over `items` with at most `concurrency` in flight. Items are pulled from the
 * (async) iterable only as workers free up, so a huge input file is never read ahead into
 * memory. A failing item is counted and collected, never stops the others.
 */
export async function runConcurrent<I>(
  items: Iterable<I> | AsyncIterable<I>,
  worker: (item: I, index: number) => Promise<unknown>,
  options: RunOptions = {},
): Promise<{ done: number; failed: number; failures: RunFailure<I>[]; elapsedMs: number }> {
  assertKnownOptions(options, RUN_OPTIONS, 'runConcurrent options')
  const concurrency = options.concurrency ?? 8
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `concurrency must be a positive integer, got ${concurrency}`,
    )
  }
  const total = options.total ?? (Array.isArray(items) ? items.length : undefined)
  const iterator =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<I>)[Symbol.asyncIterator]()
      : (items as Iterable<I>)[Symbol.iterator]()
  const start = performance.now()
  const state = { done: 0, failed: 0, next: 0 }
  const failures: RunFailure<I>[] = []
  // Pulls are serialised: two lanes must never call next() on one async iterator at once.
  let pulling: Promise<unknown> = Promise.resolve()
  const pull = (): Promise<IteratorResult<I>> => {
    const p = pulling.then(() => iterator.next())
    pulling = p.catch(() => {})
    return p
  }
  const lane = async () => {
    for (;;) {
      if (options.signal?.aborted) return
      const step = await pull()
      if (step.done) return
      const index = state.next++
      try {
        await worker(step.value, index)
      } catch (error) {
        state.failed++
        if (failures.length < (options.maxFailures ?? 100)) failures.push({ index, item: step.value, error })
      }
      state.done++
      if (options.onProgress !== undefined) {
        const elapsedMs = performance.now() - start
        options.onProgress({
          done: state.done,
          failed: state.failed,
          total,
          elapsedMs,
          rate: elapsedMs > 0 ? (state.done * 1000) / elapsedMs : 0,
        })
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
  options.signal?.throwIfAborted()
  failures.sort((a, b) => a.index - b.index)
  return { done: state.done, failed: state.failed, failures, elapsedMs: performance.now() - start }
}
