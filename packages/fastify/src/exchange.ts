import type { HttpCache } from '@cache/core/http'
import {
  type HttpDecision,
  hideConditionalHeaders,
  isClientGone,
  ownedBody,
  type Produced,
  type ProduceMode,
  type ResolvedRoute,
} from '@cache/core/http/adapter'
import type {
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
  onSendHookHandler,
  preHandlerHookHandler,
} from 'fastify'
import { requestInfo } from './request-info.js'
import { applyDecision, sendDecision } from './write-decision.js'

/** Where a request's {@link Exchange} lives (declared with `decorateRequest`, so request shapes stay stable). */
export const kExchange = Symbol('@cache/fastify.exchange')

type Carrier = { [kExchange]: Exchange | null }
type Done = HookHandlerDoneFunction
/** `decision`, or `undefined` and the error the core rejected with. */
type Finish = (decision: HttpDecision | undefined, error?: unknown) => void

const PASSTHROUGH: Promise<Produced> = Promise.resolve(Object.freeze({ kind: 'passthrough' }))
const ABORTED: Produced = Object.freeze({ kind: 'aborted' })

/** A handler run the core asked to capture, waiting for its payload in `onSend`. */
interface Capture {
  readonly mode: ProduceMode
  /** Response headers that existed before the handler ran (set by earlier hooks). */
  readonly preset: ReadonlySet<string>
  /** Hands the handler's response to the core (once). */
  settle(produced: Produced): void
}

/**
 * One request's way through the cache. The `preHandler` hook calls the core; the core either
 * answers at once (hit: the hook sends it and the handler never runs) or calls `produce`, which
 * lets Fastify run the handler (`done()`). In capture mode the serialized payload is taken in
 * `onSend`, the core decides (store, share with the flight, serve stale on a 5xx...), and
 * `onSend` sends what it decided.
 */
class Exchange {
  /** `produce` was called: the handler runs (or ran); the hook's `done` is spent. */
  produced = false
  capture: Capture | undefined = undefined
  /** Set by `onSend` once the payload is captured: completes the hook with the core's decision. */
  finish: Finish | undefined = undefined

  constructor(
    readonly reply: FastifyReply,
    readonly done: Done,
  ) {}

  produce = (mode: ProduceMode): Promise<Produced> => {
    this.produced = true
    const reply = this.reply
    if (mode.hideConditionalHeaders) hideConditionalHeaders(reply.request.raw.headers, mode.validators)
    if (!mode.capture) {
      if (mode.xCache !== undefined) reply.header('x-cache', mode.xCache)
      if (mode.cacheStatus !== undefined) reply.header('cache-status', mode.cacheStatus)
      this.done()
      return PASSTHROUGH
    }
    const raw = reply.raw
    // The client left while the cache was consulted: `close` will not come again. The handler
    // still runs (Fastify's lifecycle goes on); what it sends is neither delivered nor stored.
    if (isClientGone(raw)) {
      this.done()
      return Promise.resolve(ABORTED)
    }
    return new Promise<Produced>((resolve) => {
      // `close` before `onSend` captured the payload: the client went away (or the handler
      // hijacked the reply and wrote it itself). Either way nothing is stored.
      const onClose = () =>
        settle(raw.writableFinished ? { kind: 'passthrough', status: raw.statusCode } : ABORTED)
      const settle = (produced: Produced) => {
        raw.off('close', onClose)
        this.capture = undefined
        resolve(produced)
      }
      this.capture = { mode, preset: new Set(Object.keys(reply.getHeaders())), settle }
      raw.once('close', onClose)
      this.done()
    })
  }

  decided = (decision: HttpDecision): void => {
    if (this.finish !== undefined) {
      this.finish(decision)
    } else if (this.produced) {
      // Passed through or aborted: the handler's response went (or goes) out as it was.
    } else if (decision.kind === 'done') {
      this.done()
    } else {
      try {
        sendDecision(this.reply, decision)
      } catch (error) {
        this.done(error as Error)
      }
    }
  }

  failed = (error: unknown): void => {
    if (this.finish !== undefined) this.finish(undefined, error)
    else if (!this.produced) this.done(error as Error)
    else this.reply.log.error({ err: error }, '@cache/fastify: response cache failed after the handler ran')
  }
}

/**
 * The route's last `preHandler`: everything the app runs before its handler (auth, validation,
 * body parsing) has run, so a hit is only served to a request the handler would have served,
 * and an opted-in POST is keyed by its parsed, validated body.
 */
export function cachePreHandler(
  http: HttpCache<FastifyRequest>,
  route: ResolvedRoute<FastifyRequest>,
  routeId: string,
): preHandlerHookHandler {
  return function responseCachePreHandler(request, reply, done) {
    const exchange = new Exchange(reply, done)
    ;(request as unknown as Carrier)[kExchange] = exchange
    let result: HttpDecision | Promise<HttpDecision>
    try {
      result = http.respond(requestInfo(request, routeId), route, exchange.produce)
    } catch (error) {
      exchange.failed(error)
      return
    }
    // A hit in memory is sent in this tick; everything else when the core has decided.
    if (result instanceof Promise) result.then(exchange.decided, exchange.failed)
    else exchange.decided(result)
  }
}

/**
 * Captures the payload the core asked for: a string or Buffer within `maxBytes` (Fastify has
 * serialized it by now). A stream, or a larger body, passes through untouched and is not stored.
 * Any other request (a hit being sent, a pass-through, an error thrown before the cache ran)
 * goes by untouched.
 */
export const cacheOnSend: onSendHookHandler = function responseCacheOnSend(request, reply, payload, done) {
  const exchange = (request as unknown as Carrier)[kExchange]
  const capture = exchange?.capture
  if (exchange == null || capture === undefined) {
    done(null, payload)
    return
  }
  const body = capturable(payload, capture.mode.maxBytes)
  if (body === undefined) {
    if (capture.mode.xCache !== undefined) reply.header('x-cache', capture.mode.xCache)
    if (capture.mode.cacheStatus !== undefined) reply.header('cache-status', capture.mode.cacheStatus)
    capture.settle({ kind: 'passthrough', status: reply.statusCode })
    done(null, payload)
    return
  }
  exchange.finish = (decision, error) => {
    exchange.finish = undefined
    let next: unknown
    try {
      if (decision === undefined) throw error
      next = applyDecision(reply, decision, capture.preset, body, payload)
    } catch (failure) {
      done(failure as Error)
      return
    }
    done(null, next)
  }
  capture.settle({
    kind: 'captured',
    status: reply.statusCode,
    headers: reply.getHeaders(),
    body,
    preset: capture.preset,
    owned: typeof payload === 'string',
  })
}

function capturable(payload: unknown, maxBytes: number): Buffer | undefined {
  if (payload === undefined || payload === null) return Buffer.alloc(0)
  if (typeof payload === 'string') return ownedBody(payload, maxBytes)
  if (Buffer.isBuffer(payload)) return payload.byteLength > maxBytes ? undefined : payload
  return undefined
}
