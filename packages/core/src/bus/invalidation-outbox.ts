import type { BusMessage } from './invalidation-bus.js'

/** An invalidation: what the outbox delivers to the store and then to the bus. */
export type Invalidation = Exclude<BusMessage, { kind: 'filled' }>

/** What the outbox delivers through (the cache core). */
export interface OutboxTarget {
  /** Runs the store side of `message`; resolves to how many entries went. `probe` passes an open breaker. */
  apply(message: Invalidation, probe: boolean): Promise<number>
  /** Tells the other processes (the bus); resolves at once without a bus. */
  publish(message: Invalidation, probe: boolean): Promise<void>
  /** Reports an invalidation that could not be delivered (once per invalidation: retries would flood the `error` event). */
  fault(error: unknown, message: Invalidation): void
  /** Reports an overflow and returns the one invalidation that covers everything that was dropped. */
  overflow(dropped: number): Invalidation
}

interface Pending {
  readonly message: Invalidation
  /** The store side is done; only the bus message is left. */
  stored: boolean
  /** Entries the store removed, once `stored`. */
  removed: number | undefined
  /** Store and bus both done. */
  delivered: boolean
  /** Its failure was reported. */
  reported: boolean
  /** Resolves once a delivery of it was attempted (or it was found pending behind a failure). */
  readonly attempted: Promise<void>
  readonly tried: () => void
}

function pending(message: Invalidation, stored: boolean): Pending {
  let tried!: () => void
  const attempted = new Promise<void>((resolve) => {
    tried = resolve
  })
  return { message, stored, removed: undefined, delivered: false, reported: false, attempted, tried }
}

const RETRY_FIRST = 50
const RETRY_MAX = 1000
/**
 * Invalidations delivered together: they commute (each only removes, and bumps generations), so
 * a burst of them is pipelined instead of waiting for one round trip each.
 */
const BATCH = 256

/**
 * Invalidations that could not reach the store yet, kept in order and replayed when it answers
 * again. Without it a `delete` or `invalidateTags` issued while Redis is away or the breaker is
 * open is simply lost, and every process serves the old L2 value until its TTL ends. While
 * anything is pending, {@link blocks} tells the cache which L2 values it must not serve: the
 * replay must reach Redis before this process trusts L2 for those keys again.
 *
 * Bounded by `max` items (keys + tags + prefixes). Past it, the queue collapses into one clear
 * of the whole namespace (what the target's `overflow` returns): that loses no invalidation, and
 * while it waits every L2 read of the namespace is refused.
 */
export class InvalidationOutbox {
  readonly #target: OutboxTarget
  readonly #max: number
  #queue: Pending[] = []
  #size = 0
  readonly #keys = new Map<string, number>()
  readonly #tags = new Map<string, number>()
  readonly #prefixes = new Map<string, number>()
  #flushing: Promise<void> | undefined
  #timer: NodeJS.Timeout | undefined
  #retry = RETRY_FIRST
  #closed = false

  constructor(target: OutboxTarget, max: number) {
    this.#target = target
    this.#max = max
  }

  /** Invalidations waiting for the store or the bus. */
  get pending(): number {
    return this.#queue.length
  }

  /**
   * Queues `message` behind what is pending and tries to deliver the queue now. Resolves once
   * that attempt is over, to the entries the store removed for `message`, or `undefined` when it
   * is still pending (it is then replayed in the background). `stored` queues only the bus part
   * (the store already has it).
   *
   * When the last delivery failed (a retry is scheduled), the attempt still starts but `send`
   * resolves at once to `undefined`: the message can only reach the store after those before it,
   * and waiting would cost its caller one more store deadline per invalidation during a stall
   * (a request that invalidates twice would wait twice).
   */
  async send(message: Invalidation, stored = false): Promise<number | undefined> {
    const item = pending(message, stored)
    const failing = this.#timer !== undefined
    this.#push(item)
    if (this.#size > this.#max) this.#collapse()
    void this.flush(false)
    if (failing) return undefined
    await item.attempted
    return item.delivered ? item.removed : undefined
  }

  /**
   * True when an L2 value under `key` carrying `tags` may be one a pending invalidation removes:
   * the cache must not serve it (nor copy it to L1) until the replay has reached the store.
   */
  blocks(key: string, tags: readonly string[]): boolean {
    if (this.#queue.length === 0) return false
    if (this.#keys.has(key)) return true
    for (const tag of tags) if (this.#tags.has(tag)) return true
    for (const prefix of this.#prefixes.keys()) if (key.startsWith(prefix)) return true
    return false
  }

  /** Delivers the queue in order until it is empty or a delivery fails; one run at a time. */
  flush(probe: boolean): Promise<void> {
    if (this.#flushing === undefined && this.#queue.length > 0 && !this.#closed) {
      this.#flushing = this.#run(probe).finally(() => {
        this.#flushing = undefined
      })
    }
    return this.#flushing ?? Promise.resolve()
  }

  /** Stops retrying; what is still pending is returned (the caller reports it). */
  close(): Invalidation[] {
    this.#closed = true
    clearTimeout(this.#timer)
    this.#timer = undefined
    for (const item of this.#queue) item.tried()
    return this.#queue.map((p) => p.message)
  }

  async #run(probe: boolean): Promise<void> {
    while (this.#queue.length > 0 && !this.#closed) {
      const batch = this.#queue.slice(0, BATCH)
      const errors = await Promise.all(batch.map((item) => this.#deliver(item, probe)))
      const kept: Pending[] = []
      for (const item of this.#queue) {
        // An item collapsed away while its delivery ran is no longer tracked.
        if (item.delivered) this.#track(item.message, -1)
        else kept.push(item)
      }
      this.#queue = kept
      for (const item of batch) item.tried()
      const failed = errors.find((e) => e !== undefined)
      if (failed !== undefined) {
        // The store is not answering: what waits behind the batch is pending too.
        for (const item of this.#queue) this.#report(item, failed.error)
        this.#schedule()
        return
      }
    }
    this.#retry = RETRY_FIRST
  }

  /** Delivers one item; resolves to its failure, if any (never rejects). */
  async #deliver(item: Pending, probe: boolean): Promise<{ error: unknown } | undefined> {
    try {
      if (!item.stored) {
        item.removed = await this.#target.apply(item.message, probe)
        item.stored = true
      }
      await this.#target.publish(item.message, probe)
      item.delivered = true
      return undefined
    } catch (error) {
      this.#report(item, error)
      return { error }
    }
  }

  #report(item: Pending, error: unknown): void {
    item.tried()
    if (item.reported) return
    item.reported = true
    this.#target.fault(error, item.message)
  }

  // Retries go past an open breaker (probe): nothing else would tell this process that Redis is
  // back if it has no traffic, and other processes read L2 meanwhile.
  #schedule(): void {
    if (this.#timer !== undefined || this.#closed) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      void this.flush(true)
    }, this.#retry)
    this.#timer.unref?.()
    this.#retry = Math.min(this.#retry * 2, RETRY_MAX)
  }

  #push(item: Pending): void {
    this.#queue.push(item)
    this.#track(item.message, 1)
  }

  #collapse(): void {
    const dropped = this.#queue.length
    for (const item of this.#queue.splice(0)) {
      this.#track(item.message, -1)
      // Covered by the clear below: its caller is told it is pending, without another error.
      item.reported = true
      item.tried()
    }
    this.#push(pending(this.#target.overflow(dropped), false))
  }

  #track(message: Invalidation, delta: 1 | -1): void {
    const [index, names] =
      message.kind === 'keys'
        ? [this.#keys, message.keys]
        : message.kind === 'tags'
          ? [this.#tags, message.tags]
          : [this.#prefixes, message.prefixes]
    for (const name of names) {
      const n = (index.get(name) ?? 0) + delta
      if (n > 0) index.set(name, n)
      else index.delete(name)
    }
    this.#size += delta * names.length
  }
}
