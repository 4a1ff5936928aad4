import type { IncomingMessage, ServerResponse } from 'node:http'
import {
  type HttpCache,
  type HttpDecision,
  holdNodeResponse as holdResponse,
  type Produce,
  type Produced,
  type ResolvedRoute,
  writeNodeDecision as writeDecision,
} from '@cache/core/http'
import { type CallHandler, type ExecutionContext, Logger, type NestInterceptor } from '@nestjs/common'
import { Reflector } from '@nestjs/core'
import { Observable, type Subscriber, type Subscription } from 'rxjs'
import { type PlatformRequest, requestInfo } from './request-info.js'
import { type CachedRoute, RouteTable } from './route-table.js'
import type { NestRequest } from './tokens.js'

/** Express's `Response` (Node's response) or Fastify's `FastifyReply` (Node's response in `raw`). */
interface PlatformResponse {
  raw?: ServerResponse
  getHeaders(): Record<string, unknown>
}

const PASSTHROUGH: Produced = Object.freeze({ kind: 'passthrough' })
// Set on Node's request by the first ResponseCacheInterceptor it meets; a second one passes it through.
const HANDLED = Symbol.for('@cache/nestjs.handled')
const logger = new Logger('ResponseCache')

/**
 * Response caching for Nest on Express and Fastify, glue only (the rules are `@cache/core/http`'s).
 * `ResponseCacheModule` registers it globally; it acts on routes with `@CacheResponse()` or
 * `@InvalidateTags()` only. Both platforms write through Node's response, where it works:
 * - miss: the handler's result (or exception) goes to Nest as usual, Nest's write is held back,
 *   and the core decides what is sent and stored (a 5xx from your filters: grace serves stale);
 * - hit: the handler does not run; the stored bytes replace the write Nest makes (of
 *   `undefined`), so outer interceptors and Fastify's lifecycle run as usual (`@Res()` routes
 *   get them at once).
 */
export class ResponseCacheInterceptor implements NestInterceptor {
  readonly #http: HttpCache<NestRequest>
  readonly #routes: RouteTable

  constructor(http: HttpCache<NestRequest>, reflector: Reflector = new Reflector()) {
    this.#http = http
    this.#routes = new RouteTable(http, reflector)
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle()
    const entry = this.#routes.get(context)
    if (entry === null) return next.handle()
    const host = context.switchToHttp()
    const req = host.getRequest<PlatformRequest>()
    const rawReq = (req.raw ?? req) as IncomingMessage & { [HANDLED]?: true }
    if (rawReq[HANDLED]) return next.handle()
    rawReq[HANDLED] = true
    const res = host.getResponse<PlatformResponse>()
    const route = entry.route(context)
    return new Observable((subscriber) => this.#serve(entry, route, req, rawReq, res, next, subscriber))
  }

  #serve(
    entry: CachedRoute,
    route: ResolvedRoute<NestRequest>,
    req: PlatformRequest,
    rawReq: IncomingMessage,
    res: PlatformResponse,
    next: CallHandler,
    subscriber: Subscriber<unknown>,
  ): () => void {
    const raw = (res.raw ?? res) as ServerResponse
    let relay: Subscription | undefined
    let held: Promise<Produced> | undefined
    let preset: ReadonlySet<string> | undefined
    // Runs the handler: its result and errors go to Nest through this interceptor's Observable.
    const produce: Produce = (mode) => {
      if (mode.hideConditionalHeaders) {
        // The core answers conditional requests itself; the handler must produce a full response.
        delete rawReq.headers['if-none-match']
        delete rawReq.headers['if-modified-since']
      }
      const setXCache = () => mode.xCache !== undefined && raw.setHeader('x-cache', mode.xCache)
      if (mode.capture && !raw.headersSent) {
        preset = headerNames(res)
        held = holdResponse(raw, { maxBytes: mode.maxBytes, onRelease: setXCache })
      } else if (!raw.headersSent) setXCache()
      relay = next.handle().subscribe(subscriber)
      return held ?? Promise.resolve(PASSTHROUGH)
    }
    this.#http.handle(requestInfo(req), route, produce).then(
      (decision) => {
        if (decision.kind === 'done') return
        // Nest already wrote the handler's response, into the hold: answer now.
        if (relay !== undefined) return writeDecision(raw, decision, preset ?? headerNames(res))
        replaceNestWrite(entry, raw, decision, headerNames(res))
        subscriber.next(undefined)
        subscriber.complete()
      },
      (error: unknown) => {
        if (relay === undefined) return subscriber.error(error)
        // The cache failed after the response was held (say, a throwing `invalidateTags`): send it.
        logger.error(error)
        void held?.then((produced) => {
          if (produced.kind !== 'captured') return
          writeDecision(raw, { ...produced, kind: 'send', headers: [], replace: false }, new Set())
        })
      },
    )
    return () => relay?.unsubscribe()
  }
}

/** A response the handler did not produce (stored, shared, 304): in place of Nest's write, or now. */
function replaceNestWrite(
  entry: CachedRoute,
  raw: ServerResponse,
  decision: Exclude<HttpDecision, { kind: 'done' }>,
  preset: ReadonlySet<string>,
): void {
  if (!entry.nestWrites) writeDecision(raw, decision, preset)
  else
    void holdResponse(raw).then((produced) => {
      if (produced.kind === 'captured') writeDecision(raw, decision, preset)
    })
}

function headerNames(res: PlatformResponse): ReadonlySet<string> {
  return new Set(Object.keys(res.getHeaders()))
}
