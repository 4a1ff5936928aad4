import { type Cache, type Duration, hashKey, parseDuration } from '@cache/core'
import type { ChatBody } from '../schemas/chat-schema.js'
import { BusyClocks } from '../stats/busy-clock.js'
import type { UsageRecorder } from '../stats/usage-recorder.js'
import type { UpstreamClient } from '../upstream/upstream-client.js'
import { type CachedItem, freshEnough, modelTag, versionTag } from './batch-cache.js'
import { assembleCompletion, type ChatChunk } from './chat-chunks.js'
import { keyPartition, NO_CONTROL, type RequestCacheControl, storeTtl } from './request-cache-control.js'

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

/** A stored chat answer: the completion, and the chunks when it was recorded from a stream. */
export interface StoredChat extends CachedItem<unknown> {
  /** The chunks as the upstream streamed them, replayed as they were. */
  chunks?: ChatChunk[]
}

/** Settings of {@link ChatCache}. */
export interface ChatCacheOptions {
  /** TTL of stored answers (a request's `ttl` may shorten it). */
  ttl: Duration
  /** Price of 1,000 upstream tokens, for the money figures. */
  pricePer1kTokens: number
  /** Times the upstream calls. @default a clock of its own */
  clocks?: BusyClocks
  /**
   * The version of a chat model, part of every key: what besides the request changes the answer.
   * @default the upstream's address
   */
  versionOf?: (model: string) => string
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
  readonly #versionOf: (model: string) => string

  constructor(cache: Cache, recorder: UsageRecorder, client: UpstreamClient, options: ChatCacheOptions) {
    this.#cache = cache
    this.#recorder = recorder
    this.#client = client
    this.#ttlMs = parseDuration(options.ttl, 'ttl')
    this.#price = options.pricePer1kTokens
    this.#clocks = options.clocks ?? new BusyClocks()
    this.#versionOf = options.versionOf ?? (() => client.identity)
  }

  /**
   * The key of a request: the body without what does not change the answer (`stream`, `user`,
   * the `cache` directives), plus the request's partition (namespace, tenant).
   */
  key(body: ChatBody, partition?: { namespace?: string; tenant?: string }): string {
    const { stream: _s, stream_options: _o, user: _u, cache: _c, ...rest } = body
    const parts = {
      kind: 'chat',
      upstream: this.#client.identity,
      version: this.#versionOf(body.model),
      v: CHAT_KEY_VERSION,
      body: rest,
    }
    return hashKey(partition === undefined ? parts : { ...parts, partition })
  }

  /** Forwards `body` (non-streaming), from the cache when `cacheable` and stored. */
  async complete(
    body: ChatBody,
    cacheable: boolean,
    control: RequestCacheControl = NO_CONTROL,
  ): Promise<ChatOutcome> {
    const outcome = { stored: false, joined: false, forced: false }
    if (!cacheable) return { answer: (await this.#forward(body)).value, cache: 'BYPASS', ...outcome }
    const key = this.key(body, keyPartition(control))
    const { hit, cached, lookupSeconds } = await this.#read(key, body.model, control)
    if (hit !== undefined) return { answer: hit.value, cache: 'HIT', ...outcome }
    const model = body.model
    const options = { ttl: storeTtl(control, this.#ttlMs), tags: this.#tags(model) }
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
    this.#countMiss(model, !ran, lookupSeconds)
    return { answer: item.value, cache: 'MISS', ...outcome }
  }

  /**
   * The stored answer of a streaming request, if any (the same key as without `stream`): its
   * recorded chunks when it was streamed, the completion otherwise. A miss is counted by
   * {@link ChatCache.record} once the stream is open.
   */
  async replay(body: ChatBody, control: RequestCacheControl): Promise<{ hit?: StoredChat; tooOld: boolean }> {
    const { hit, cached } = await this.#read(this.key(body, keyPartition(control)), body.model, control)
    return { hit, tooOld: hit === undefined && cached !== undefined }
  }

  /** Opens a streaming completion: the caller pipes it to the client (and may record it). */
  stream(body: ChatBody, signal: AbortSignal): Promise<Response> {
    return this.#client.post('chat/completions', upstreamBody(body), signal)
  }

  /**
   * Stores a streamed answer once it is known to be whole. `chunks` resolves with the recorded
   * chunks when the stream ended with `[DONE]`, and with undefined when it was cut, aborted or
   * garbled: then nothing is stored. The chunks are kept for streamed replays, and the completion
   * they amount to for non-streaming ones. `tooOld`: a stored answer was older than the
   * request's `max-age` (see {@link ChatCache.replay}).
   */
  record(
    body: ChatBody,
    control: RequestCacheControl,
    chunks: Promise<ChatChunk[] | undefined>,
    tooOld: boolean,
  ): void {
    const key = this.key(body, keyPartition(control))
    const model = body.model
    const share = this.#clocks.of(model).begin()
    const item = chunks.then((recorded) => {
      const seconds = this.#clocks.of(model).end(share)
      const completion = recorded === undefined ? undefined : assembleCompletion(recorded)
      const usage = completion?.usage as { total_tokens?: number } | undefined
      const tokens = Number(usage?.total_tokens) || 0
      const money = (tokens * this.#price) / 1000
      this.#recorder.compute({ model, items: 1, seconds, tokens, money })
      if (completion === undefined || !usable(completion)) return undefined
      return { value: completion, chunks: recorded, tokens, seconds, money, at: Date.now() }
    })
    this.#countMiss(model, false, 0)
    const options = { ttl: storeTtl(control, this.#ttlMs), tags: this.#tags(model) }
    if (control.noStore) return
    const store =
      control.noCache || tooOld
        ? // A fresh answer was asked for: it replaces what is stored.
          item.then((i) => (i === undefined ? undefined : this.#cache.set(key, i, options)))
        : // Through getOrSet: an invalidation during the stream wins, and an identical
          // non-streaming request that arrives meanwhile joins this one instead of going upstream.
          this.#cache.getOrSet(
            key,
            async () => {
              const i = await item
              if (i === undefined) throw new NotStored(undefined)
              return i
            },
            options,
          )
    // The client already has its answer: a failed store is the cache's business (counted there).
    store.catch(() => {})
  }

  #tags(model: string): string[] {
    return [modelTag(model), versionTag({ id: model, version: this.#versionOf(model) })]
  }

  #countMiss(model: string, joined: boolean, lookupSeconds: number): void {
    const saved = { seconds: 0, tokens: 0, money: 0 }
    this.#recorder.lookup({
      model,
      items: 1,
      hits: 0,
      misses: 1,
      coalesced: joined ? 1 : 0,
      lookupSeconds,
      saved,
    })
  }

  /** Reads `key` under the request's cache control; a fresh entry is a hit, counted here. */
  async #read(
    key: string,
    model: string,
    control: RequestCacheControl,
  ): Promise<{ hit?: StoredChat; cached?: StoredChat; lookupSeconds: number }> {
    const started = performance.now()
    const cached = control.noCache ? undefined : await this.#cache.get<StoredChat>(key)
    const lookupSeconds = (performance.now() - started) / 1000
    if (cached === undefined || !freshEnough(cached, control.maxAge)) return { cached, lookupSeconds }
    const saved = { seconds: cached.seconds, tokens: cached.tokens, money: cached.money }
    this.#recorder.lookup({ model, items: 1, hits: 1, misses: 0, coalesced: 0, lookupSeconds, saved })
    return { hit: cached, cached, lookupSeconds }
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
