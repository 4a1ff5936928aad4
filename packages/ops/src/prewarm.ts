import type { Cache, CacheKey, GetOrSetOptions } from '@cache/core'
import { assertKnownOptions, GET_OR_SET_FLAGS, optionKeys } from '@cache/core/plugin'
import {
  RUN_FLAGS,
  type RunFailure,
  type RunOptions,
  type RunProgress,
  runConcurrent,
} from './run-concurrent.js'

/** Progress of {@link prewarm}, reported after every input. */
export interface PrewarmProgress extends RunProgress {
  /** Inputs whose loader ran (the entry was missing). */
  loaded: number
  /** Inputs already cached (the loader did not run). */
  cached: number
}

/** Options of {@link prewarm}. */
export interface PrewarmOptions<I> extends Omit<RunOptions, 'onProgress'>, GetOrSetOptions {
  /** The cache key of an input (hashed canonically unless a string). @default the input itself */
  key?: (input: I) => CacheKey
  /** Called after every input. @default undefined */
  onProgress?: (progress: PrewarmProgress) => void
}

const PREWARM_OPTIONS = optionKeys<PrewarmOptions<unknown>>({
  ...RUN_FLAGS,
  ...GET_OR_SET_FLAGS,
  key: true,
  onProgress: true,
})

/** Outcome of {@link prewarm}. */
export interface PrewarmResult<I> {
  /** Inputs processed. */
  done: number
  /** Inputs whose loader ran and whose value was stored. */
  loaded: number
  /** Inputs that were already cached. */
  cached: number
  /** Inputs whose loader threw (nothing stored for them). */
  failed: number
  /** The first failures, with their input and error. */
  failures: RunFailure<I>[]
  /** Duration of the run. */
  elapsedMs: number
}

/**
 * Fills `cache` before traffic arrives: runs `getOrSet(key(input), () => loader(input))` for
 * every input with bounded concurrency, so inputs already cached cost one lookup and the others
 * one loader call each (concurrent duplicates share one). A failing input is counted and
 * collected, never stops the run. Inputs may be an async iterable (a file read line by line).
 *
 * @example
 * await prewarm(cache.namespace('predict'), rows, (row) => model.predict(row), {
 *   concurrency: 16,
 *   onProgress: (p) => console.log(`${p.done}/${p.total} ${p.rate.toFixed(0)}/s`),
 * })
 */
export async function prewarm<I, T>(
  cache: Cache,
  inputs: Iterable<I> | AsyncIterable<I>,
  loader: (input: I) => T | Promise<T>,
  options: PrewarmOptions<I> = {},
): Promise<PrewarmResult<I>> {
  assertKnownOptions(options, PREWARM_OPTIONS, 'prewarm options')
  const { key, onProgress, concurrency, total, signal, maxFailures, ...getOrSet } = options
  const keyOf = key ?? ((input: I) => input as CacheKey)
  const counts = { loaded: 0, cached: 0 }
  const run = await runConcurrent(
    inputs,
    async (input) => {
      let ran = false
      await cache.getOrSet(
        keyOf(input),
        () => {
          ran = true
          return loader(input)
        },
        getOrSet,
      )
      if (ran) counts.loaded++
      else counts.cached++
    },
    {
      concurrency,
      total,
      signal,
      maxFailures,
      onProgress: onProgress && ((p) => onProgress({ ...p, ...counts })),
    },
  )
  return { ...run, ...counts }
}
