import type { IncomingHttpHeaders } from 'node:http'
import type { HttpInvalidation, RouteCacheOptions } from '@cache/core/http'
import type { AdapterCacheOptions } from '@cache/core/http/adapter'

/**
 * What a route's handler and its cache callbacks (`tags`, `key`, `varyBy.user`) read of a
 * request: the fields Express's `Request`, Fastify's `FastifyRequest` and Nest's `@Req()` share.
 * Factories pass their framework's own request.
 */
export interface ConformanceRequest {
  method: string
  url: string
  /** Route parameters, by name (`/items/:id` gives `id`). */
  params: Record<string, string>
  /** The parsed query string. */
  query: Record<string, unknown>
  headers: IncomingHttpHeaders
  /** The parsed JSON body, when the request sent one. */
  body?: unknown
}

/** What a route's handler answers; the factory writes it through its framework. */
export interface ConformanceReply {
  /** @default 200 (also for POST: Nest would say 201) */
  status?: number
  /** Response headers, set before the body is sent. @default {} */
  headers?: Record<string, string>
  /**
   * A string or Buffer is sent as is, anything else as JSON; `undefined` sends an empty body.
   * (Nest on Express sends a Buffer as a `StreamableFile`, which is never stored: its adapter
   * would send a returned Buffer as JSON.)
   * @default undefined
   */
  body?: unknown
}

/** One route, as data: each factory maps it to its framework. */
export interface ConformanceRoute {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** The framework's path syntax shared by all: `/items/:id`. */
  path: string
  /**
   * Answers the request; a throw goes to the framework's error handling (a 500). The suite's
   * handlers throw errors whose message starts with `conformance: `, for factories that check
   * their framework's logs.
   */
  handler(req: ConformanceRequest): ConformanceReply | Promise<ConformanceReply>
  /**
   * The route's cache options, merged over the adapter's; `false` leaves the route out of the
   * cache (Nest: no `@CacheResponse`).
   * @default {}
   */
  cache?: RouteCacheOptions<ConformanceRequest> | false
}

/** What a factory builds: these routes, behind the adapter configured with these options. */
export interface ConformanceSetup {
  routes: readonly ConformanceRoute[]
  /** The adapter's options (`responseCache(options)`, the plugin's, `forRoot(options)`). */
  options: AdapterCacheOptions<ConformanceRequest>
  /**
   * Call for every request before the cache sees it, as a request-id middleware would (Express
   * `app.use`, a Fastify `onRequest` hook), with a function that sets a response header.
   */
  beforeCache(setHeader: (name: string, value: string) => void): void
}

/** What a request of the suite may set. */
export interface ConformanceRequestInit {
  /** @default 'GET' */
  method?: string
  headers?: Record<string, string>
  body?: string
}

/** A response read whole. */
export interface ConformanceResponse {
  status: number
  /** Header values by lower-case name (repeated headers joined with `, `). */
  headers: Record<string, string>
  bytes: Buffer
  text: string
  /** A header's value, or `undefined`. */
  header(name: string): string | undefined
  /** The body parsed as JSON. */
  json(): unknown
}

/** An app a factory started. */
export interface ConformanceApp {
  /** Sends one request (over a socket, or injected) and reads the whole response. */
  request(path: string, init?: ConformanceRequestInit): Promise<ConformanceResponse>
  /** The adapter's `invalidate({ paths, tags })`. */
  invalidate(what: HttpInvalidation): Promise<void>
  /** Stops the app. The suite closes the cache itself. */
  close(): Promise<void>
}

/**
 * Builds an app on one framework from a {@link ConformanceSetup}. Rejects when the adapter
 * refuses the options (`ERR_CACHE_INVALID_OPTION` at setup is one of the scenarios).
 */
export type AdapterConformanceFactory = (setup: ConformanceSetup) => Promise<ConformanceApp>
