import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'
import type { ComputeOutcome, LookupOutcome, UsageRecorder } from './usage-recorder.js'

/**
 * The Prometheus metrics of the app, on a registry of its own (two apps in one process, as in
 * tests, never collide). Everything Prometheus-specific lives in this file, so a shared exporter
 * can replace it by implementing {@link UsageRecorder}.
 */
export class Metrics implements UsageRecorder {
  /** The registry `/metrics` renders. */
  readonly registry = new Registry()
  readonly #requests: Counter<'model'>
  readonly #hits: Counter<'model'>
  readonly #misses: Counter<'model'>
  readonly #coalesced: Counter<'model'>
  readonly #items: Counter<'model'>
  readonly #calls: Counter<'model'>
  readonly #computeSeconds: Counter<'model'>
  readonly #callDuration: Histogram<'model'>
  readonly #lookup: Histogram<'model'>
  readonly #savedSeconds: Counter<'model'>
  readonly #tokens: Counter<'model'>
  readonly #tokensSaved: Counter<'model'>
  readonly #moneySpent: Counter<'model'>
  readonly #moneySaved: Counter<'model'>
  readonly #backendErrors: Counter<'operation'>

  constructor(options: { defaultMetrics?: boolean } = {}) {
    const registers = [this.registry]
    const counter = <L extends string>(name: string, help: string, labelNames: L[]) =>
      new Counter<L>({ name, help, labelNames, registers })
    const model = ['model' as const]
    this.#requests = counter('ml_cache_requests_total', 'Prediction requests (a batch counts once)', model)
    this.#hits = counter('ml_cache_hits_total', 'Items answered from the cache', model)
    this.#misses = counter('ml_cache_misses_total', 'Items not found in the cache', model)
    this.#coalesced = counter(
      'ml_cache_coalesced_total',
      'Missing items that joined a computation already running',
      model,
    )
    this.#items = counter('model_inference_items_total', 'Items the model actually computed', model)
    this.#calls = counter('model_inference_calls_total', 'Model calls (one per batch of misses)', model)
    this.#computeSeconds = counter('model_inference_seconds_total', 'Time spent in the model, seconds', model)
    this.#savedSeconds = counter('ml_cache_compute_seconds_saved_total', 'Compute time the hits saved', model)
    this.#tokens = counter('model_tokens_total', 'Tokens of the computed items', model)
    this.#tokensSaved = counter('ml_cache_tokens_saved_total', 'Tokens the hits saved', model)
    this.#moneySpent = counter('model_money_spent_total', 'Money spent on the paid upstream', model)
    this.#moneySaved = counter('ml_cache_money_saved_total', 'Money the hits saved (paid upstream)', model)
    this.#backendErrors = counter(
      'ml_cache_backend_errors_total',
      'Cache backend faults (Redis timeouts, errors, open circuit), by operation',
      ['operation'],
    )
    this.#callDuration = new Histogram({
      name: 'model_inference_duration_seconds',
      help: 'Duration of one model call',
      labelNames: model,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    })
    this.#lookup = new Histogram({
      name: 'ml_cache_lookup_duration_seconds',
      help: 'Duration of the cache lookup of one request (all its items)',
      labelNames: model,
      buckets: [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
      registers,
    })
    if (options.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry })
  }

  /** Starts every per-model series at 0, so dashboards see the model before its first request. */
  declare(model: string): void {
    for (const c of [this.#requests, this.#hits, this.#misses, this.#items, this.#computeSeconds]) {
      c.inc({ model }, 0)
    }
  }

  lookup(o: LookupOutcome): void {
    const labels = { model: o.model }
    this.#requests.inc(labels)
    this.#hits.inc(labels, o.hits)
    this.#misses.inc(labels, o.misses)
    this.#coalesced.inc(labels, o.coalesced)
    this.#lookup.observe(labels, o.lookupSeconds)
    this.#savedSeconds.inc(labels, o.saved.seconds)
    this.#tokensSaved.inc(labels, o.saved.tokens)
    this.#moneySaved.inc(labels, o.saved.money)
  }

  compute(o: ComputeOutcome): void {
    const labels = { model: o.model }
    this.#calls.inc(labels)
    this.#items.inc(labels, o.items)
    this.#computeSeconds.inc(labels, o.seconds)
    this.#callDuration.observe(labels, o.seconds)
    this.#tokens.inc(labels, o.tokens)
    this.#moneySpent.inc(labels, o.money)
  }

  backendError(operation: string): void {
    this.#backendErrors.inc({ operation })
  }

  /** The Prometheus text exposition and its content type. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }
}
