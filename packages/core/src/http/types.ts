/**
 * The plain shapes an adapter exchanges with `@cache/core/http`: what it knows about a request,
 * what the handler produced, and what the core decides to send. No framework type appears here.
 */

/** Value of the `x-cache` response header. */
export type XCacheStatus = 'HIT' | 'MISS' | 'STALE' | 'BYPASS'

/** Request headers as Node gives them: lowercased names, repeated headers as arrays. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>

/** Response headers as Node's `res.getHeaders()` gives them (names lowercased or not). */
export type ResponseHeaders = Readonly<Record<string, string | number | readonly string[] | undefined>>

/** One response header to set: lowercased name and its value. */
export type HeaderPair = readonly [name: string, value: string]

/**
 * What an adapter tells the core about a request. Every field is as the framework resolved it:
 * `protocol` and `host` honour the app's proxy trust settings, so forwarded headers the app
 * trusts are part of the key and the core never reads `x-forwarded-*` itself.
 *
 * @typeParam R - the framework's request object, handed to route callbacks (`tags`, `key`, `varyBy.user`).
 */
export interface HttpRequestInfo<R = unknown> {
  /** Request method, upper case (`'GET'`). */
  method: string
  /** URL path without the query string (`'/items/42'`), as the client requested it. */
  path: string
  /** The route pattern when the framework knows it (`'/items/:id'`); informational, not keyed. */
  routeId?: string | undefined
  /** Raw query string without the leading `?` (`''` when there is none). */
  query: string
  /** `'http'` or `'https'`, as the framework resolved it. */
  protocol: string
  /**
   * Host as the framework resolved it and hands it to handlers, port included (Express's
   * `req.host`, Fastify's `request.host`): a handler may echo it, so two ports are two keys.
   */
  host: string
  /** Request headers, lowercased names. */
  headers: RequestHeaders
  /** The parsed request body, when a body parser ran (keys opted-in POST requests). */
  body?: unknown
  /** The framework's request object, passed to route callbacks. */
  raw: R
}

/** How the core wants the handler run, passed to the adapter's `produce` callback. */
export interface ProduceMode {
  /**
   * `true`: capture the response (status, headers, body) instead of sending it, and resolve with
   * `{ kind: 'captured' }`; the core then says what to send. Switch to pass-through (write
   * through, set `x-cache: xCache` first, resolve `{ kind: 'passthrough' }`) when the handler
   * streams (`write`, `flushHeaders`) or the body exceeds `maxBytes`.
   * `false`: let the handler write directly after setting `x-cache: xCache` (when defined) and
   * resolve `{ kind: 'passthrough' }` at once.
   */
  capture: boolean
  /** Value of `x-cache` when the response is written directly; `undefined`: set no header. */
  xCache: XCacheStatus | undefined
  /**
   * Value of `cache-status` (RFC 9211) to set with `x-cache` when the response is written
   * directly; `undefined`: set no header.
   */
  cacheStatus: string | undefined
  /** Largest body to capture, in bytes. */
  maxBytes: number
  /**
   * Remove `if-none-match` and `if-modified-since` from the request before the handler sees it,
   * so that the handler produces a full, storable response (the core answers 304s itself).
   */
  hideConditionalHeaders: boolean
  /**
   * Revalidation (`freshness: 'origin'`): request headers (`if-none-match`, `if-modified-since`)
   * to set once the client's conditional headers are hidden, so that the handler may answer
   * `304 Not Modified` for the stored response. Pass them to `hideConditionalHeaders`.
   */
  validators?: readonly HeaderPair[] | undefined
}

/** The handler's response as the adapter saw it. */
export type Produced =
  | {
      /** The handler ended the response and the adapter holds it; nothing was sent yet. */
      kind: 'captured'
      /** Status code. */
      status: number
      /** Headers the handler set. */
      headers: ResponseHeaders
      /** The complete body. */
      body: Uint8Array
      /**
       * Names of the headers that were already set before the handler ran (request ids, CORS,
       * rate-limit counters from earlier middleware). They decide storability like any other,
       * but are not stored: the middleware that set them runs again on every request.
       */
      preset?: ReadonlySet<string>
      /**
       * `body` is memory of its own that nothing else holds or writes (the adapter encoded it
       * from the handler's string): a stored response keeps it without a copy. Leave it unset
       * for bytes the app gave, which it may reuse, or a view into a larger (pooled) buffer.
       * @default false
       */
      owned?: boolean
    }
  | {
      /** The handler writes (or wrote) the response itself: streamed, too large, or not captured. */
      kind: 'passthrough'
      /** Status code, when known. */
      status?: number | undefined
    }
  | {
      /** The client went away (or the response was destroyed) before the handler ended it. */
      kind: 'aborted'
    }

/** Runs the handler in the given mode. Called at most once per `handle` call. */
export type Produce = (mode: ProduceMode) => Promise<Produced>

/** Send this response: set `status`, set every header of `headers` (replacing), end with `body`. */
export interface SendDecision {
  /** Discriminant. */
  kind: 'send'
  /** Status code. */
  status: number
  /** Headers to set, replacing same-named ones (includes `x-cache`, `content-length`, and `age`/`etag` when relevant). */
  headers: readonly HeaderPair[]
  /** The body, byte for byte. */
  body: Uint8Array
  /**
   * `true` when this is not the response the handler produced for this request (a stored or
   * shared one): headers the handler set while it ran must be removed first.
   */
  replace: boolean
}

/** Send `304 Not Modified` with these headers and no body (RFC 9110 §15.4.5). */
export interface NotModifiedDecision {
  /** Discriminant. */
  kind: 'not-modified'
  /** Status code, always 304. */
  status: 304
  /** Headers to set (`etag`, `x-cache`, `age`, and stored `cache-control`, `vary`, `expires`, `content-location`). */
  headers: readonly HeaderPair[]
  /** As in {@link SendDecision}. */
  replace: boolean
}

/** Nothing to write: the handler's response went (or goes) out directly, or the client is gone. */
export interface DoneDecision {
  /** Discriminant. */
  kind: 'done'
}

/** What the adapter must do after {@link Produce} (or instead of it, on a hit). */
export type HttpDecision = SendDecision | NotModifiedDecision | DoneDecision

/** A stored response: one cache entry, replayed byte for byte. */
export interface StoredResponse {
  /** Discriminant of values the HTTP layer stores. */
  kind: 'response'
  /** Status code. */
  status: number
  /** Replayable headers (no hop-by-hop, no `set-cookie`), plus `etag` and `content-length`. */
  headers: HeaderPair[]
  /** The body. */
  body: Uint8Array
  /** The entity tag served and matched against `If-None-Match`: the origin's, or a strong hash of the body. */
  etag: string
  /** Epoch ms when the response was stored (gives `age`). */
  storedAt: number
  /** Epoch ms when it stops being fresh (labels `HIT` vs `STALE`). */
  expiresAt: number
  /** The response said `public` or `s-maxage`: it may answer requests with credentials (RFC 9111 §3.5). */
  public: boolean
  /** `freshness: 'origin'` only: how the response may be reused past its freshness. */
  origin?: OriginFacts
}

/** What `freshness: 'origin'` keeps about a stored response besides the response itself. */
export interface OriginFacts {
  /** `no-cache`: revalidated before every reuse (RFC 9111 §5.2.2.4). */
  noCache: boolean
  /** `must-revalidate`, `proxy-revalidate` or `s-maxage`: never served stale (§4.2.4). */
  mustRevalidate: boolean
  /** `stale-while-revalidate` window past freshness, ms (RFC 5861 §3). */
  staleWhileRevalidate: number
  /** `stale-if-error` window past freshness, ms (RFC 5861 §4). */
  staleIfError: number
  /** Conditional request headers that revalidate it: `if-none-match`, `if-modified-since`. */
  validators: HeaderPair[]
  /** Its `Last-Modified`, epoch ms, for `If-Modified-Since` from clients. */
  lastModified: number | undefined
}

/**
 * Stored under the primary key of a response that carried `Vary`: which request headers select
 * the variant. Each variant lives under primary key + those headers' normalised values
 * (RFC 9111 §4.1).
 */
export interface VariantIndex {
  /** Discriminant. */
  kind: 'vary'
  /** Lowercased request header names, sorted. */
  vary: string[]
}

/** Any value the HTTP layer stores. */
export type HttpCacheValue = StoredResponse | VariantIndex
