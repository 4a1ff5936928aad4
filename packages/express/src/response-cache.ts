import type { HttpCache, HttpInvalidation, RouteCacheOptions } from '@cache/core/http'
import {
  ADAPTER_OPTION_KEYS,
  type AdapterCacheOptions,
  adapterCache,
  type HttpDecision,
  handledRequests,
  type ResolvedRoute,
  writeNodeDecision,
} from '@cache/core/http/adapter'
import { assertKnownOptions } from '@cache/core/plugin'
import type { NextFunction, Request, RequestHandler, Response } from 'express'
import { produceResponse } from './capture-response.js'
import { requestInfo } from './request-info.js'

/**
 * Options of {@link responseCache}: the cache (a `Cache`, or the options of one the middleware
 * creates and owns), its lifecycle (`closeCache`, `requireReady`), `namespace`, plus route options
 * that every request of this middleware uses.
 *
 * @typeParam P - the route parameters the callbacks see (`responseCache<{ id: string }>(...)`).
 */
export interface ResponseCacheOptions<P = Request['params']> extends AdapterCacheOptions<Request<P>> {}

/**
 * An Express middleware that fits any route: generic in the route's request types, so that the
 * handlers after it keep theirs (`req.params.id` typed from `'/items/:id'`). A plain
 * `RequestHandler` would fix them to its own.
 */
export type RouteMiddleware = <P, ResBody, ReqBody, ReqQuery, Locals extends Record<string, unknown>>(
  req: Request<P, ResBody, ReqBody, ReqQuery, Locals>,
  res: Response<ResBody, Locals>,
  next: NextFunction,
) => void

/** The middleware returned by {@link responseCache}, with helpers attached. */
export interface ResponseCacheMiddleware extends RouteMiddleware {
  /**
   * A middleware for one route, sharing this one's cache and defaults: `options` are merged over
   * them and validated now (`ERR_CACHE_INVALID_OPTION`). `false` disables caching on the route.
   * The handlers after it keep the route's types; for typed params in the callbacks, name them:
   * `rc.route<{ id: string }>({ tags: (req) => [`item:${req.params.id}`] })`.
   */
  route<P = Request['params']>(options?: RouteCacheOptions<Request<P>> | false): RouteMiddleware
  /** Drops the cached responses of `paths` (every variant) and of `tags`. */
  invalidate(what: HttpInvalidation): Promise<void>
  /** The framework-free HTTP layer underneath. */
  readonly http: HttpCache<Request>
  /**
   * Waits for the cache to be ready (Redis connected), for your start-up: `await rc.ready()`
   * before `app.listen()`. Resolves `true` once ready; when it is not, warns on the console and
   * resolves `false` (the app can serve from memory and its handlers), or rejects with the cause
   * under `requireReady`.
   */
  ready(): Promise<boolean>
  /**
   * Closes the cache when this middleware owns it (`closeCache`: it created the cache from
   * options); otherwise does nothing. Express has no close hook: call it when your server closes,
   * `server.on('close', () => rc.close())`, so that no Redis connection keeps the process alive.
   */
  close(): Promise<void>
}

// Requests taken by the first responseCache middleware they meet, so a nested one passes them through.
const handled = handledRequests('@cache/express.handled')

/**
 * Express response caching, glue only: the rules live in `@cache/core/http`. Use it app-wide
 * (`app.use(responseCache({ cache }))`) or per route (`app.get('/x', rc.route({ ttl: '1m' }), h)`,
 * or `responseCache({ cache, ttl: '1m' })` in the route's middleware list). Options are validated
 * here, at setup: a bad one throws `ERR_CACHE_INVALID_OPTION`. Errors go to `next(err)`.
 *
 * A request meets at most one responseCache: the first one on its way handles it, later ones
 * pass it through. Given the options of a cache (not a `Cache`), it creates the cache: use one
 * middleware and its `route()`s for the app, `await rc.ready()` at start-up and `rc.close()` when
 * the server closes.
 *
 * @example
 * const rc = responseCache({ cache, ttl: '1m' })
 * app.get('/items/:id', rc.route({ tags: (req) => [`item:${req.params.id}`] }), getItem)
 */
export function responseCache<P = Request['params']>(
  options: ResponseCacheOptions<P>,
): ResponseCacheMiddleware {
  // A typo'd option silently ignored is a cache that does not do what its author thinks.
  assertKnownOptions(options, ADAPTER_OPTION_KEYS, 'responseCache() options')
  // The params type is the caller's, for its callbacks: one request type underneath.
  const adapter = adapterCache<Request>(options as ResponseCacheOptions, '@cache/express')
  const http = adapter.http
  const middleware = handlerFor(http, http.route()) as unknown as ResponseCacheMiddleware
  Object.defineProperties(middleware, {
    route: {
      value: (routeOptions?: RouteCacheOptions<Request> | false) =>
        handlerFor(http, http.route(routeOptions)) as unknown as RouteMiddleware,
    },
    invalidate: { value: (what: HttpInvalidation) => http.invalidate(what) },
    http: { value: http },
    ready: { value: () => adapter.ready((message) => console.warn(`@cache/express: ${message}`)) },
    close: { value: () => adapter.close() },
  })
  return middleware
}

function handlerFor(http: HttpCache<Request>, route: ResolvedRoute<Request>): RequestHandler {
  return function responseCacheMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (handled.has(req)) {
      next()
      return
    }
    let preset: ReadonlySet<string> | undefined
    let result: HttpDecision | Promise<HttpDecision>
    try {
      result = http.respond(requestInfo(req), route, (mode) => {
        // Marked when the chain goes on (a hit answered here needs no mark).
        handled.add(req)
        return produceResponse(req, res, next, mode, (names) => {
          preset = names
        })
      })
    } catch (error) {
      next(error)
      return
    }
    // A hit in memory is answered in this tick; everything else when the core has decided.
    if (result instanceof Promise)
      result.then((decision) => writeNodeDecision(res, decision, preset)).catch(next)
    else writeNodeDecision(res, result, preset)
  }
}
