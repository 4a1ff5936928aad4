import { type Cache, type Duration, hashKey, parseDuration } from '@cache/core'
import type { ChatBody } from '../schemas/chat-schema.js'
import { BusyClocks } from '../stats/busy-clock.js'
import type { UsageRecorder } from '../stats/usage-recorder.js'
import type { UpstreamClient } from '../upstream/upstream-client.js'
import { type CachedItem, freshEnough, modelTag } from './batch-cache.js'
import { NO_CONTROL, type RequestCacheControl, storeTtl } from './request-cache-control.js'

/** What {@link ChatCache.complete} answers. */
export interface ChatOutcome {
  /** The upstream's completion (replayed as stored on a hit). */
  answer: unknown
  /** HIT: from the cache; MISS: forwarded (and stored when usable); BYPASS: not cacheable, forwarded. */
  cache: 'HIT' | 'MISS' | 'BYPASS'
  /** The answer was stored. */
  stored: boolean
  /** The request joined an identical request's upstream call. */
  joined: boolean
  /** The request's own directives (`no-cache`, `max-age`) sent it upstream past a stored answer. */
  forced: boolean
}

/** Bump when the key derivation changes. */
const CHAT_KEY_VERSION = 1

/** Thrown from the loader so that `getOrSet` stores nothing, carrying the answer to return anyway. */
class NotStored extends Error {
  constructor(readonly answer: unknown) {
    super('answer not cacheable')
  }
}

/**
 * Caching of `POST /v1/chat/completions` forwarded to the upstream. Only deterministic requests
 * are cached (temperature 0, or the client opted in): identical requests then share one answer,
 * and concurrent ones one upstream call (the core's single flight). An answer is stored only if
 * usable: choices present, none empty, none cut by the content filter. Errors are never stored.
 * The request's cache control applies as in {@link BatchCache}.
 */
export class ChatCache {
  readonly #cache: Cache
  readonly #recorder: UsageRecorder
  readonly #client: UpstreamClient
  readonly #ttlMs: number
  readonly #price: number
  readonly #clocks: BusyClocks

  constructor(
    cache: Cache,
    recorder: UsageRecorder,
    client: UpstreamClient,
    ttl: Duration,
    pricePer1k: number,
    clocks = new BusyClocks(),
  ) {
    this.#clocks = clocks
    this.#cache = cache
    this.#recorder = recorder
    this.#client = client
    this.#ttlMs = parseDuration(ttl, 'ttl')
    this.#price = pricePer1k
  }

  /**
   * The key of a request: the body without what does not change the answer (`stream`, `user`,
   * the `cache` directives), plus the request's namespace.
   */
  key(body: ChatBody, namespace?: string): string {
    const { stream: _s, stream_options: _o, user: _u, cache: _c, ...rest } = body
    const parts = { kind: 'chat', upstream: this.#client.identity, v: CHAT_KEY_VERSION, body: rest }
    return hashKey(namespace === undefined ? parts : { ...parts, namespace })
  }

  /** Forwards `body` (non-streaming), from the cache when `cacheable` and stored. */
  async complete(
    body: ChatBody,
    cacheable: boolean,
    control: RequestCacheControl = NO_CONTROL,
  ): Promise<ChatOutcome> {
    const outcome = { stored: false, joined: false, forced: false }
    if (!cacheable) return { answer: (await this.#forward(body)).value, cache: 'BYPASS', ...outcome }
    const key = this.key(body, control.namespace)
    const started = performance.now()
    const cached = control.noCache ? undefined : await this.#cache.get<CachedItem<unknown>>(key)
    const lookupSeconds = (performance.now() - started) / 1000
    const model = body.model
    if (cached !== undefined && freshEnough(cached, control.maxAge)) {
      const saved = { seconds: cached.seconds, tokens: cached.tokens, money: cached.money }
      this.#recorder.lookup({ model, items: 1, hits: 1, misses: 0, coalesced: 0, lookupSeconds, saved })
      return { answer: cached.value, cache: 'HIT', ...outcome }
    }
    const options = { ttl: storeTtl(control, this.#ttlMs), tags: [modelTag(model)] }
    let ran = false
    let item: CachedItem<unknown>
    if (control.noCache || control.noStore || cached !== undefined) {
      // The client asked for a fresh answer, or for none to be kept: no joining, no getOrSet.
      ran = true
      item = await this.#forward(body)
      outcome.forced = control.noCache || cached !== undefined
      if (!control.noStore && usable(item.value)) {
        await this.#cache.set(key, item, options)
        outcome.stored = true
      }
    } else {
      try {
        item = await this.#cache.getOrSet(
          key,
          async () => {
            ran = true
            const computed = await this.#forward(body)
            if (!usable(computed.value)) throw new NotStored(computed.value)
            return computed
          },
          options,
        )
        outcome.stored = ran
      } catch (error) {
        if (!(error instanceof NotStored)) throw error
        item = { value: error.answer, tokens: 0, seconds: 0, money: 0 }
      }
    }
    outcome.joined = !ran
    const none = { seconds: 0, tokens: 0, money: 0 }
    this.#recorder.lookup({
      model,
      items: 1,
      hits: 0,
      misses: 1,
      coalesced: ran ? 0 : 1,
      lookupSeconds,
      saved: none,
    })
    return { answer: item.value, cache: 'MISS', ...outcome }
  }

  /** Opens a streaming completion: the caller pipes it to the client, uncached. */
  stream(body: ChatBody, signal: AbortSignal): Promise<Response> {
    return this.#client.post('chat/completions', upstreamBody(body), signal)
  }

  async #forward(body: ChatBody): Promise<CachedItem<unknown>> {
    // Concurrent calls to one model share the time they overlap (see BusyClock).
    const { value: answer, seconds } = await this.#clocks.of(body.model).time(() =>
      this.#client.postJson<{ usage?: { total_tokens?: number } }>('chat/completions', {
        ...upstreamBody(body),
        stream: false,
      }),
    )
    const tokens = Number(answer?.usage?.total_tokens) || 0
    const money = (tokens * this.#price) / 1000
    this.#recorder.compute({ model: body.model, items: 1, seconds, tokens, money })
    return { value: answer, tokens, seconds, money, at: Date.now() }
  }
}

/** The body sent upstream: the client's, without the `cache` directives meant for this server. */
function upstreamBody(body: ChatBody): Omit<ChatBody, 'cache'> {
  const { cache: _c, ...rest } = body
  return rest
}

/** An answer worth storing: at least one choice, and every choice has content or tool calls. */
export function usable(answer: unknown): boolean {
  const choices = (answer as { choices?: unknown })?.choices
  if (!Array.isArray(choices) || choices.length === 0) return false
  return choices.every((choice) => {
    const c = choice as { message?: { content?: unknown; tool_calls?: unknown }; finish_reason?: unknown }
    if (c.finish_reason === 'content_filter') return false
    const content = c.message?.content
    const tools = c.message?.tool_calls
    return (
      (typeof content === 'string' && content.trim() !== '') || (Array.isArray(tools) && tools.length > 0)
    )
  })
}
