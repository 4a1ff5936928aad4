import { setTimeout as sleep } from 'node:timers/promises'
import { checkItem, checkPredict, checkPut } from './answer-checks.js'
import type { DrillRecorder, Outcome, Route } from './drill-recorder.js'
import { type HttpAnswer, type HttpCall, type HttpClient, now } from './http-client.js'
import type { Random } from './random.js'
import type { VersionLedger } from './version-ledger.js'

/** Shape of the steady load. */
export interface LoadOptions {
  /** One base URL per app instance (`http://127.0.0.1:<port>`); every worker spreads over all of them. */
  baseUrls: readonly string[]
  /**
   * Concurrent workers in total: a tenth write (at least one), a fifth send `POST /predict`, the
   * rest read `GET /items/:id`.
   * @default 20
   */
  workers: number
  /** Requests per second the readers and predict workers aim at together. @default 400 */
  rate: number
  /** How many items the load reads and writes (few, so reads hit invalidated entries often). @default 8 */
  items: number
  /** Pause between two writes of one writer. @default 100 */
  writePauseMs: number
  /**
   * Pause between the instances' PUTs of one replicated write: long enough for the instance
   * written first to cache the old version again from the other one (whose handler still
   * answers it), so the later invalidation has to reach it across processes.
   * @default 30
   */
  putGapMs: number
}

/** An answered request waiting for its verdict. */
interface Sent {
  answer: HttpAnswer
  /** When it was sent, on the drill's clock. */
  startedAt: number
  /** Records it with its verdict, in the slot it was sent in. */
  done(outcome: Outcome, detail?: string): void
}

/** Predict bodies every predict worker asks for again and again (hits, mostly). */
const HOT_FEATURES: readonly number[][] = Array.from({ length: 16 }, (_, i) => [i, i / 2, -i - 1, 1.5])

/**
 * The steady load of a drill: readers (`GET /items/:id` on a random instance), predict workers
 * (`POST /predict`: hot bodies on one instance, or a new body sent to every instance at once so
 * their cross-process lease is exercised), and writers (a replicated `PUT /items/:id` to every
 * instance in turn, see {@link VersionLedger}). Every answer is checked and recorded in the
 * recorder's current slot at the time it was sent.
 */
export class DrillLoad {
  readonly #client: HttpClient
  readonly #recorder: DrillRecorder
  readonly #ledger: VersionLedger
  readonly #options: LoadOptions
  readonly #random: Random
  /** Current item id of each slot; a retired item's slot moves to a fresh id. */
  readonly #items: string[]
  readonly #generation: number[]
  #fresh = 0
  #running = false
  #workers: Promise<void>[] = []

  constructor(
    client: HttpClient,
    recorder: DrillRecorder,
    ledger: VersionLedger,
    random: Random,
    options: LoadOptions,
  ) {
    this.#client = client
    this.#recorder = recorder
    this.#ledger = ledger
    this.#random = random
    this.#options = options
    this.#items = Array.from({ length: options.items }, (_, i) => `item-${i}`)
    this.#generation = this.#items.map(() => 0)
  }

  /** The item ids in use now (retired ones replaced). */
  get items(): readonly string[] {
    return this.#items
  }

  /** Starts every worker. */
  start(): void {
    if (this.#running) return
    this.#running = true
    const { workers } = this.#options
    const writers = Math.max(1, Math.round(workers / 10))
    const predictors = Math.max(1, Math.round(workers / 5))
    const readers = Math.max(1, workers - writers - predictors)
    const intervalMs = ((readers + predictors) / this.#options.rate) * 1000
    for (let w = 0; w < writers; w++) this.#workers.push(this.#writer(w, writers))
    for (let p = 0; p < predictors; p++)
      this.#workers.push(this.#paced(intervalMs, () => this.#predictOnce()))
    for (let r = 0; r < readers; r++) this.#workers.push(this.#paced(intervalMs, () => this.#readOnce()))
  }

  /** Stops the workers and resolves once every request they sent has been answered and recorded. */
  async stop(): Promise<void> {
    this.#running = false
    await Promise.all(this.#workers)
    this.#workers = []
  }

  /** Reads every item from every instance once, one at a time (the read-back after the load). */
  async readBack(): Promise<void> {
    for (const id of this.#items) {
      for (let i = 0; i < this.#options.baseUrls.length; i++) await this.#readItem(id, i)
    }
  }

  async #paced(intervalMs: number, once: () => Promise<void>): Promise<void> {
    // Spread the workers' first requests over one interval instead of a burst at t=0.
    await sleep(this.#random.float() * intervalMs)
    while (this.#running) {
      const started = now()
      await once()
      const rest = intervalMs - (now() - started)
      if (rest > 0) await sleep(rest)
    }
  }

  #readOnce(): Promise<void> {
    const id = this.#random.pick(this.#items)
    return this.#readItem(id, this.#random.int(this.#options.baseUrls.length))
  }

  async #readItem(id: string, instance: number): Promise<void> {
    const sent = await this.#send('GET /items/:id', instance, { method: 'GET', url: this.#url(instance, id) })
    if (sent === undefined) return
    const checked = checkItem(sent.answer, id)
    if (checked.kind !== 'ok') return sent.done(checked.kind, checked.detail)
    const version = checked.value.version
    const verdict = this.#ledger.judge(id, version, sent.startedAt)
    if (verdict === 'stale') {
      const floor = this.#ledger.floor(id, sent.startedAt)
      return sent.done('stale', `${id} version ${version} < ${floor} acknowledged before it was sent`)
    }
    if (verdict === 'impossible') {
      return sent.done('wrong', `${id} version ${version} > ${this.#ledger.ceiling(id)} ever written`)
    }
    sent.done('ok')
  }

  async #predictOnce(): Promise<void> {
    const instances = this.#options.baseUrls.length
    if (this.#random.float() < 0.6) {
      await this.#predict(this.#random.pick(HOT_FEATURES), this.#random.int(instances))
      return
    }
    // A body no instance has seen, sent to all at once: one computes it, the others should wait
    // for its result (the cross-process lease) rather than compute it too.
    const features = [++this.#fresh, this.#random.int(1000) / 8, -3]
    await Promise.all(Array.from({ length: instances }, (_, i) => this.#predict(features, i)))
  }

  async #predict(features: number[], instance: number): Promise<void> {
    const url = `${this.#options.baseUrls[instance]}/predict`
    const sent = await this.#send('POST /predict', instance, { method: 'POST', url, json: { features } })
    if (sent === undefined) return
    const checked = checkPredict(sent.answer, features)
    if (checked.kind !== 'ok') return sent.done(checked.kind, checked.detail)
    sent.done('ok')
  }

  async #writer(index: number, writers: number): Promise<void> {
    const slots = this.#items.map((_, slot) => slot).filter((slot) => slot % writers === index)
    let turn = 0
    while (this.#running) {
      const slot = slots[turn++ % slots.length]!
      await this.#write(slot)
      if (this.#running) await sleep(this.#options.writePauseMs)
    }
  }

  /** One replicated write of the item in `slot`: a PUT to every instance, in a random order. */
  async #write(slot: number): Promise<void> {
    const id = this.#items[slot]!
    const version = this.#ledger.writeStarted(id)
    const order = this.#options.baseUrls.map((_, i) => i)
    if (this.#random.float() < 0.5) order.reverse()
    for (const [n, instance] of order.entries()) {
      if (n > 0) await sleep(this.#options.putGapMs)
      const sent = await this.#send('PUT /items/:id', instance, {
        method: 'PUT',
        url: this.#url(instance, id),
      })
      if (sent !== undefined) {
        const checked = checkPut(sent.answer, id, version)
        if (checked.kind === 'ok') {
          sent.done('ok')
          continue
        }
        sent.done(checked.kind, checked.detail)
      }
      // The instances may now disagree on this item's version: stop judging it, use a new one.
      this.#ledger.retire(id)
      this.#items[slot] = `item-${slot}-r${++this.#generation[slot]!}`
      return
    }
    this.#ledger.acknowledged(id, version, now())
  }

  /**
   * Sends `call` to `instance` in the slot current now. A network error or timeout is recorded
   * as failed at once (and `undefined` returned); otherwise the caller checks the answer and
   * calls `done` with its verdict.
   */
  async #send(route: Route, instance: number, call: HttpCall): Promise<Sent | undefined> {
    const slot = this.#recorder.current
    const startedAt = now()
    const where = `instance ${instanceName(instance)}`
    try {
      const answer = await this.#client.send(call)
      const ms = now() - startedAt
      const done = (outcome: Outcome, detail?: string) => {
        const status = `${where}, x-cache ${header(answer, 'x-cache')}`
        this.#recorder.record(
          slot,
          route,
          ms,
          outcome,
          detail === undefined ? status : `${status}: ${detail}`,
        )
      }
      return { answer, startedAt, done }
    } catch (error) {
      this.#recorder.record(slot, route, now() - startedAt, 'failed', `${where}: ${(error as Error).message}`)
      return undefined
    }
  }

  #url(instance: number, id: string): string {
    return `${this.#options.baseUrls[instance]}/items/${encodeURIComponent(id)}`
  }
}

/** `A`, `B`, ... for instance 0, 1, ... in messages. */
export function instanceName(index: number): string {
  return String.fromCharCode(65 + index)
}

function header(answer: HttpAnswer, name: string): string {
  const value = answer.headers[name]
  return Array.isArray(value) ? value.join(',') : (value ?? '-')
}
