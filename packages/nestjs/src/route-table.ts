import type { HttpCache, RouteCacheOptions } from '@cache/core/http'
import type { ResolvedRoute } from '@cache/core/http/adapter'
import type { ExecutionContext } from '@nestjs/common'
// Nest has no public API for a handler's parameter decorators (`Reflector` reads class and method
// metadata; `ContextUtils`, which its router uses, is internal), so the metadata is read under
// Nest's own names for it, from the files that define them (Nest 10 to 12 ship both; Nest 12's
// exports map lets `./*.js` through): no copy of a private key to drift.
import { RESPONSE_PASSTHROUGH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js'
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js'
import type { Reflector } from '@nestjs/core'
import type { CacheResponseFactory, TagsSource } from './decorators.js'
import {
  CACHE_RESPONSE_METADATA,
  INVALIDATE_TAGS_METADATA,
  type NestRequest,
  NO_CACHE_METADATA,
} from './tokens.js'

/** How the interceptor treats one route handler. */
export interface CachedRoute {
  /** The route's resolved options for this request. */
  route(context: ExecutionContext): ResolvedRoute<NestRequest>
  /** Nest writes the result: no `@Res()`/`@Next()`, or with `passthrough`. */
  nestWrites: boolean
}

type Options = RouteCacheOptions<NestRequest> | CacheResponseFactory<NestRequest>

// Route arguments are keyed `${paramtype}:${index}`: a handler with `@Res()` or `@Next()` writes
// its response itself (unless `passthrough`).
const WRITES_ITSELF = new RegExp(`^(${RouteParamtypes.RESPONSE}|${RouteParamtypes.NEXT}):`)

/** Each handler's options, from the decorators, resolved over the defaults once (per object for factories). */
export class RouteTable {
  readonly #http: HttpCache<NestRequest>
  readonly #reflector: Reflector
  readonly #owns: (controller: Function) => boolean
  readonly #routes = new WeakMap<Function, CachedRoute | null>()

  constructor(http: HttpCache<NestRequest>, reflector: Reflector, owns: (controller: Function) => boolean) {
    this.#http = http
    this.#reflector = reflector
    this.#owns = owns
  }

  /**
   * The handler's entry, or `null` when the cache leaves it alone (not decorated, `@NoCache()`,
   * or a controller another module's cache serves).
   */
  get(context: ExecutionContext): CachedRoute | null {
    const handler = context.getHandler()
    let entry = this.#routes.get(handler)
    if (entry === undefined) {
      entry = this.#build(handler, context.getClass())
      this.#routes.set(handler, entry)
    }
    return entry
  }

  #build(handler: Function, controller: Function): CachedRoute | null {
    const reflector = this.#reflector
    if (reflector.get(NO_CACHE_METADATA, handler) === true || !this.#owns(controller)) return null
    const targets = [handler, controller]
    const options = reflector.getAllAndOverride<Options | undefined>(CACHE_RESPONSE_METADATA, targets)
    const tags = reflector.get<TagsSource<NestRequest> | undefined>(INVALIDATE_TAGS_METADATA, handler)
    if (options === undefined && tags === undefined) return null
    const extra: RouteCacheOptions<NestRequest> = tags === undefined ? {} : { invalidateTags: tags }
    const nestWrites = nestWritesResponse(controller, handler.name)
    if (typeof options !== 'function') {
      const route = this.#http.route({ ...options, ...extra })
      return { route: () => route, nestWrites }
    }
    const resolved = new WeakMap<object, ResolvedRoute<NestRequest>>()
    let disabled: ResolvedRoute<NestRequest> | undefined
    return {
      nestWrites,
      route: (context) => {
        const result = options(context)
        if (result === false) return (disabled ??= this.#http.route(false))
        let route = resolved.get(result)
        if (route === undefined) resolved.set(result, (route = this.#http.route({ ...result, ...extra })))
        return route
      },
    }
  }
}

function nestWritesResponse(controller: Function, method: string): boolean {
  const args: object = Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) ?? {}
  if (!Object.keys(args).some((key) => WRITES_ITSELF.test(key))) return true
  return Reflect.getMetadata(RESPONSE_PASSTHROUGH_METADATA, controller, method) === true
}
