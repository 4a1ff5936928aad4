/** Settings of a model's dynamic batcher. */
export interface BatchingOptions {
  /**
   * Most inputs in one model call; a longer queue is split. The default is the largest request
   * (256 texts or rows), so one request's misses are never split across calls. @default 256
   */
  maxBatchSize: number
  /**
   * How long the first queued input waits for more before its batch runs, in ms, while other
   * batches of the model run (an idle model starts at once). Inputs that miss in concurrent
   * requests within this window share one model call. @default 2
   */
  maxQueueDelayMs: number
  /**
   * Batches of one model running at once. 1 for a model that computes in this process (a second
   * batch would only interleave with the first on the one event loop; waiting instead lets the
   * queue grow into a bigger batch); more for an upstream API, whose calls run elsewhere.
   * @default 1
   */
  maxConcurrentBatches: number
}

/** The defaults of {@link BatchingOptions}. */
export const DEFAULT_BATCHING: Readonly<BatchingOptions> = Object.freeze({
  maxBatchSize: 256,
  maxQueueDelayMs: 2,
  maxConcurrentBatches: 1,
})

interface Queued<I, R> {
  input: I
  resolve: (result: R) => void
  reject: (error: unknown) => void
}

/**
 * A dynamic batcher for one model, in the manner of Triton's: inputs submitted by any request
 * wait in one queue, and a batch runs when `maxBatchSize` inputs are queued or the first has
 * waited `maxQueueDelayMs`, whichever comes first, as long as fewer than `maxConcurrentBatches`
 * are running; when a batch ends, the queue runs at once. Unlike Triton, an idle model does not
 * wait `maxQueueDelayMs`: it starts after the current event-loop turn (which gathers the inputs
 * submitted together), since batches form anyway while it runs, and a lone request would only
 * pay the delay. Each input resolves with its own result; a failed call rejects every input of
 * its batch, unless the failure is one input's (see the constructor).
 */
export class ModelBatcher<I, R> {
  readonly #options: BatchingOptions
  readonly #run: (inputs: I[]) => Promise<R[]>
  readonly #isolate: (error: unknown) => boolean
  readonly #queue: Queued<I, R>[] = []
  #timer: NodeJS.Timeout | undefined
  #immediate: NodeJS.Immediate | undefined
  #running = 0
  #runningInputs = 0

  /**
   * `run` computes one batch: one result per input, in order. `isolate` tells a failure caused by
   * one input (an upstream's 400 for a text too long) from one of the model (down, timed out):
   * the inputs of a batch that failed so are retried one by one, so one request's bad input never
   * fails the other requests batched with it.
   */
  constructor(
    options: BatchingOptions,
    run: (inputs: I[]) => Promise<R[]>,
    isolate: (error: unknown) => boolean = () => false,
  ) {
    this.#options = options
    this.#run = run
    this.#isolate = isolate
  }

  /** Inputs queued or being computed. */
  get pending(): number {
    return this.#queue.length + this.#runningInputs
  }

  /** Queues `input`; resolves with its result once its batch has run. */
  submit(input: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject })
      this.#schedule()
    })
  }

  #schedule(): void {
    if (this.#running >= this.#options.maxConcurrentBatches) return
    if (this.#queue.length >= this.#options.maxBatchSize) {
      this.#dispatch()
      return
    }
    if (this.#timer !== undefined || this.#immediate !== undefined) return
    if (this.#running === 0) {
      // An idle model starts once the current turn of the event loop is over, which gathers
      // what arrived together: a lone request pays no queue delay, and what arrives while the
      // batch runs forms the next one.
      this.#immediate = setImmediate(() => this.#dispatch())
      return
    }
    this.#timer = setTimeout(() => this.#dispatch(), this.#options.maxQueueDelayMs)
  }

  #dispatch(): void {
    clearTimeout(this.#timer)
    clearImmediate(this.#immediate)
    this.#timer = undefined
    this.#immediate = undefined
    while (this.#running < this.#options.maxConcurrentBatches && this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#options.maxBatchSize)
      this.#running++
      this.#runningInputs += batch.length
      const settle = () => {
        this.#running--
        this.#runningInputs -= batch.length
        // What queued while the batch ran has waited long enough: it runs now.
        if (this.#queue.length > 0) this.#dispatch()
      }
      this.#start(batch).then(settle, settle)
    }
  }

  async #start(batch: Queued<I, R>[]): Promise<void> {
    try {
      const results = await this.#run(batch.map((q) => q.input))
      batch.forEach((q, i) => {
        q.resolve(results[i]!)
      })
    } catch (error) {
      if (batch.length === 1 || !this.#isolate(error)) {
        for (const q of batch) q.reject(error)
        return
      }
      for (const q of batch) {
        try {
          q.resolve((await this.#run([q.input]))[0]!)
        } catch (alone) {
          q.reject(alone)
        }
      }
    }
  }
}

/** The limits of each {@link BatchingOptions} setting: [min, max]. */
export const BATCHING_LIMITS: Readonly<Record<keyof BatchingOptions, readonly [number, number]>> =
  Object.freeze({
    maxBatchSize: [1, 4096],
    maxQueueDelayMs: [0, 1000],
    maxConcurrentBatches: [1, 64],
  })
