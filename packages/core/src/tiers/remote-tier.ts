import { CacheError, errors } from '../errors.js'
import { type CacheStore, canConnect } from '../stores/store.js'
import { type BreakerOptions, type BreakerState, CircuitBreaker } from './circuit-breaker.js'
import { ConnectGate } from './connect-gate.js'
import { DeadlineBuckets, type Deadlined } from './deadline.js'

/** Receives the answer of {@link RemoteTier.read}: an error, or the bytes (`undefined` for a miss). */
export type ReadDone = (error: Error | undefined, bytes?: Uint8Array) => void

/**
 * Most keys one coalesced read asks for: big enough that the per-command client cost vanishes,
 * small enough that one MGET never holds Redis (single-threaded) for long.
 */
export const MAX_READ_BATCH = 128

/** Gets issued in one tick, waiting for their shared `getMany`. */
interface ReadBatch {
  keys: string[]
  dones: ReadDone[]
  /** Per key, the stamp tags whose generations the store reads with it; `undefined` while none has any. */
  guards: (readonly string[] | undefined)[] | undefined
}

const NO_PROGRESS = (): void => {}

/** Per-call options of {@link RemoteTier.call}. */
export interface CallOptions<T> {
  /**
   * Let the call through an open breaker (the invalidation outbox probes a Redis that may be
   * back; a success closes the breaker). @default false
   */
  probe?: boolean
  /**
   * Receives the answer of a call that arrived after its deadline. The store still executed the
   * command, so a caller that acquired something (a lease) can give it back. @default undefined
   */
  late?: (value: T) => void
  /**
   * A call that walks the keyspace in steps (a namespace clear: SCAN + UNLINK): its deadline
   * runs from its last step (the `progress` the call's function receives), not from its start.
   * Cut after one deadline in all, it would fail on any large namespace, and the invalidation
   * outbox would start it over and over; a stalled store still cuts it after one deadline.
   * @default false
   */
  stepped?: boolean
}

/** Fault handling around the remote store. */
export interface RemoteTierOptions {
  /**
   * Deadline of every store call in ms. A call past it is abandoned (its late answer ignored).
   * @default 250
   */
  timeout: number
  /**
   * How long a call made before the store's first connection waits for it, in ms (then it runs
   * under `timeout`). `0` does not wait.
   * @default 1000
   */
  connectTimeout: number
  /** Circuit breaker settings. */
  breaker: BreakerOptions
}

/**
 * L2 guard: puts a deadline on every store call and a circuit breaker in front of the store, and
 * turns every failure into a `CacheError` (`ERR_CACHE_TIMEOUT`, `ERR_CACHE_CIRCUIT_OPEN`,
 * `ERR_CACHE_STORE`) for the cache to count and emit. It never decides to hide an error: the
 * cache does, per operation (reads fail open, invalidations are reported).
 */
export class RemoteTier {
  readonly store: CacheStore
  readonly #breaker: CircuitBreaker
  readonly #deadlines: DeadlineBuckets
  readonly #batchGets: boolean
  #batch: ReadBatch | undefined
  /** Holds the calls made before the store's first connection; dropped once it has opened. */
  #gate: ConnectGate | undefined

  constructor(store: CacheStore, options: RemoteTierOptions) {
    this.store = store
    this.#breaker = new CircuitBreaker(options.breaker)
    this.#deadlines = new DeadlineBuckets(options.timeout)
    this.#batchGets = store.capabilities.batchGets === true
    if (
      canConnect(store) &&
      !store.connected &&
      store.connectionError === undefined &&
      options.connectTimeout > 0
    )
      this.#gate = new ConnectGate(store, options.connectTimeout)
    // A new connection has just answered its ready check: a successful call, which closes a
    // breaker opened during the outage at once instead of at the first probe.
    if (canConnect(store))
      store.onConnectionChange((connected) => {
        if (connected) this.#breaker.success()
      })
  }

  /** State of the circuit breaker. */
  get breakerState(): BreakerState {
    return this.#breaker.state
  }

  /** Deadline of every call, in ms. */
  get timeout(): number {
    return this.#deadlines.ms
  }

  /**
   * Runs `fn` against the store under the deadline and the breaker. `progress` restarts the
   * deadline of a `stepped` call (it does nothing for the others).
   */
  call<T>(
    operation: string,
    fn: (store: CacheStore, progress: () => void) => Promise<T>,
    options?: CallOptions<T>,
  ): Promise<T> {
    if (this.#gate !== undefined && this.#gated()) {
      return new Promise((resolve, reject) =>
        this.#hold(operation, () => this.call(operation, fn, options).then(resolve, reject), reject),
      )
    }
    if (options?.probe !== true && !this.#breaker.allow()) return Promise.reject(this.#open(operation))
    if (options?.stepped === true) return this.#guardSteps(operation, fn, options.late)
    return this.#guard(
      operation,
      this.#start(() => fn(this.store, NO_PROGRESS)),
      options?.late,
    )
  }

  /**
   * Reads `key` under the deadline and the breaker, then calls `done` once. With a store that
   * `batchGets` (Redis), the reads issued in one tick share `getMany` calls of up to
   * {@link MAX_READ_BATCH} keys: a burst of 1,000 gets costs 8 MGETs instead of 1,000 GET
   * commands, each with its own client-side command object and promise (this path is
   * measured against raw ioredis). A lone read is still one plain `get`.
   */
  read(key: string, done: ReadDone, guards?: readonly string[]): void {
    if (!this.#batchGets) {
      this.#send([key], [done], guards === undefined ? undefined : [guards])
      return
    }
    let batch = this.#batch
    if (batch === undefined) {
      const fresh: ReadBatch = { keys: [], dones: [], guards: undefined }
      this.#batch = batch = fresh
      queueMicrotask(() => {
        if (this.#batch === fresh) this.#batch = undefined
        this.#send(fresh.keys, fresh.dones, fresh.guards)
      })
    }
    if (guards !== undefined) {
      batch.guards ??= new Array(batch.keys.length)
      batch.guards[batch.keys.length] = guards
    }
    batch.keys.push(key)
    batch.dones.push(done)
    // A full batch is closed; the next read opens another, sent in the same microtask turn.
    if (batch.keys.length >= MAX_READ_BATCH) this.#batch = undefined
  }

  #send(keys: string[], dones: ReadDone[], guards: (readonly string[] | undefined)[] | undefined): void {
    if (this.#gate !== undefined && this.#gated()) {
      this.#hold(
        keys.length === 1 ? 'get' : 'getMany',
        () => this.#send(keys, dones, guards),
        (error) => {
          for (const done of dones) done(error)
        },
      )
      return
    }
    if (!this.#breaker.allow()) {
      const error = this.#open(keys.length === 1 ? 'get' : 'getMany')
      for (const done of dones) done(error)
      return
    }
    if (keys.length === 1) {
      const done = dones[0]!
      this.#guard(
        'get',
        this.#start(() => this.store.get(keys[0]!, guards?.[0])),
      ).then(
        (bytes) => done(undefined, bytes),
        (error) => done(error),
      )
      return
    }
    this.#guard(
      'getMany',
      this.#start(() => this.store.getMany(keys, guards)),
    ).then(
      (values) => {
        for (let i = 0; i < dones.length; i++) dones[i]!(undefined, values[i])
      },
      (error) => {
        for (const done of dones) done(error)
      },
    )
  }

  /** True while calls wait for the first connection; forgets the gate once it has opened. */
  #gated(): boolean {
    if (this.#gate!.closed) return true
    this.#gate = undefined
    return false
  }

  /** Waits for the first connection, then `go`; a call that cannot wait counts as a failure. */
  #hold(operation: string, go: () => void, fail: (error: Error) => void): void {
    this.#gate!.wait(operation, go, (error) => {
      this.#breaker.failure()
      fail(error)
    })
  }

  /** Calls the store; a synchronous throw becomes a rejection. */
  #start<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return fn()
    } catch (error) {
      return Promise.reject(error)
    }
  }

  #open(operation: string): CacheError {
    return new CacheError(
      errors.ERR_CACHE_CIRCUIT_OPEN,
      `${this.store.name}: circuit open, ${operation} skipped`,
    )
  }

  #guard<T>(operation: string, work: Promise<T>, late?: (value: T) => void): Promise<T> {
    const deadlines = this.#deadlines
    return new Promise<T>((resolve, reject) => {
      const call = new StoreCall(this, operation, reject, deadlines.ms)
      deadlines.add(call)
      work.then(
        (value) => {
          if (!deadlines.settle(call)) {
            late?.(value)
            return
          }
          this.#breaker.success()
          resolve(value)
        },
        (error) => {
          if (!deadlines.settle(call)) return
          this.#breaker.failure()
          reject(this.#failed(operation, error))
        },
      )
    })
  }

  /** {@link #guard} for a `stepped` call: one timer of its own, restarted by each step. */
  #guardSteps<T>(
    operation: string,
    fn: (store: CacheStore, progress: () => void) => Promise<T>,
    late?: (value: T) => void,
  ): Promise<T> {
    const ms = this.#deadlines.ms
    return new Promise<T>((resolve, reject) => {
      let settled = false
      let timer: NodeJS.Timeout | undefined
      const arm = () => {
        clearTimeout(timer)
        timer = setTimeout(() => {
          settled = true
          // "clear step": the walk as a whole may have run far longer than one deadline.
          this.timedOut(`${operation} step`, reject, ms)
        }, ms)
        timer.unref?.()
      }
      const settle = () => {
        if (settled) return false
        settled = true
        clearTimeout(timer)
        return true
      }
      arm()
      this.#start(() => fn(this.store, () => settled || arm())).then(
        (value) => {
          if (!settle()) {
            late?.(value)
            return
          }
          this.#breaker.success()
          resolve(value)
        },
        (error) => {
          if (!settle()) return
          this.#breaker.failure()
          reject(this.#failed(operation, error))
        },
      )
    })
  }

  #failed(operation: string, error: unknown): CacheError {
    return new CacheError(
      errors.ERR_CACHE_STORE,
      `${this.store.name}: ${operation} failed: ${(error as Error)?.message}`,
      { cause: error },
    )
  }

  /** @internal A call past its deadline: abandoned (a late answer is dropped, a late failure swallowed). */
  timedOut(operation: string, reject: (error: Error) => void, ms: number): void {
    this.#breaker.failure()
    reject(new CacheError(errors.ERR_CACHE_TIMEOUT, `${this.store.name}: ${operation} exceeded ${ms} ms`))
  }
}

/** One store call waiting for its answer or its deadline. */
class StoreCall implements Deadlined {
  settled = false
  bucket: Set<Deadlined> | undefined = undefined
  readonly #tier: RemoteTier
  readonly #operation: string
  readonly #reject: (error: Error) => void
  readonly #ms: number

  constructor(tier: RemoteTier, operation: string, reject: (error: Error) => void, ms: number) {
    this.#tier = tier
    this.#operation = operation
    this.#reject = reject
    this.#ms = ms
  }

  expire(): void {
    this.#tier.timedOut(this.#operation, this.#reject, this.#ms)
  }
}
