import type { IncomingMessage, ServerResponse } from 'node:http'
import type { HttpCache } from '@cache/core/http'
import {
  type HttpDecision,
  handledRequests,
  hideConditionalHeaders,
  holdNodeResponse as holdResponse,
  type Produce,
  type Produced,
  type ResolvedRoute,
  replaceNextEnd,
  writeNodeDecision as writeDecision,
} from '@cache/core/http/adapter'
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
// Node requests taken by the first ResponseCacheInterceptor they meet; a second one passes them through.
const handled = handledRequests('@cache/nestjs.handled')
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

  /**
   * @param owns - whether this interceptor serves a controller's routes: each module that imports
   *   its own `ResponseCacheModule` has its own interceptor (default: every controller).
   */
  constructor(
    http: HttpCache<NestRequest>,
    reflector: Reflector = new Reflector(),
    owns: (controller: Function) => boolean = () => true,
  ) {
    this.#http = http
    this.#routes = new RouteTable(http, reflector, owns)
  }

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle()
    const entry = this.#routes.get(context)
    if (entry === null) return next.handle()
    const host = context.switchToHttp()
    const req = host.getRequest<PlatformRequest>()
    const rawReq = (req.raw ?? req) as IncomingMessage
    if (handled.has(rawReq)) return next.handle()
    handled.add(rawReq)
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
      if (mode.hideConditionalHeaders) hideConditionalHeaders(rawReq.headers, mode.validators)
      const setXCache = () => {
        if (mode.xCache !== undefined) raw.setHeader('x-cache', mode.xCache)
        if (mode.cacheStatus !== undefined) raw.setHeader('cache-status', mode.cacheStatus)
      }
      if (mode.capture && !raw.headersSent) {
        preset = headerNames(res)
        held = holdResponse(raw, { maxBytes: mode.maxBytes, onRelease: setXCache })
      } else if (!raw.headersSent) setXCache()
      relay = next.handle().subscribe(subscriber)
      return held ?? Promise.resolve(PASSTHROUGH)
    }
    const answer = (decision: HttpDecision) => {
      if (decision.kind === 'done') return
      // Nest already wrote the handler's response, into the hold: answer now.
      if (relay !== undefined) return writeDecision(raw, decision, preset ?? headerNames(res))
      replaceNestWrite(entry, raw, decision, res)
      subscriber.next(undefined)
      subscriber.complete()
    }
    let result: HttpDecision | Promise<HttpDecision>
    try {
      result = this.#http.respond(requestInfo(req), route, produce)
    } catch (error) {
      subscriber.error(error)
      return () => relay?.unsubscribe()
    }
    // A hit in memory is answered in this tick (the hit path is benchmarked against bare Nest).
    if (!(result instanceof Promise)) answer(result)
    else
      result.then(answer, (error: unknown) => {
        if (relay === undefined) return subscriber.error(error)
        // The cache failed after the response was held (say, a throwing `invalidateTags`): send it.
        logger.error(error)
        void held?.then((produced) => {
          if (produced.kind !== 'captured') return
          writeDecision(raw, { ...produced, kind: 'send', headers: [], replace: false }, new Set())
        })
      })
    return () => relay?.unsubscribe()
  }
}

/**
 * A response the handler did not produce (stored, shared, 304), in place of Nest's write (of
 * `undefined`). With `@Res()` Nest writes nothing: it is written now. On Express, Nest's write is
 * `res.status(code)` + `res.send()`, which ends with `res.end()`: that one call is replaced, the
 * lightest hold there is (whatever status Express's own freshness check set, the decision's wins) (this path is benchmarked against bare Nest). On Fastify, whose
 * `reply.send` writes through `writeHead` + `end`, the whole write is held and replaced. On both,
 * headers set after the decision (by an outer interceptor) are dropped with Nest's write.
 */
function replaceNestWrite(
  entry: CachedRoute,
  raw: ServerResponse,
  decision: Exclude<HttpDecision, { kind: 'done' }>,
  res: PlatformResponse,
): void {
  const preset = headerNames(res)
  if (!entry.nestWrites) {
    writeDecision(raw, decision, preset)
    return
  }
  if (res.raw === undefined) {
    replaceNextEnd(raw, (ended) => writeDecision(ended, decision, preset))
    return
  }
  void holdResponse(raw).then((produced) => {
    if (produced.kind === 'captured') writeDecision(raw, decision, preset)
  })
}

function headerNames(res: PlatformResponse): ReadonlySet<string> {
  return new Set(Object.keys(res.getHeaders()))
}
