import type { RouteCacheOptions } from '@cache/core/http'
import { resolveRouteOptions } from '@cache/core/http/adapter'
import { type CustomDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common'
import {
  CACHE_RESPONSE_METADATA,
  INVALIDATE_TAGS_METADATA,
  type NestRequest,
  NO_CACHE_METADATA,
} from './tokens.js'

/**
 * A route's options from the execution context, at every request. Return the same object for the
 * same options (constants): each distinct object is validated once.
 */
export type CacheResponseFactory<R = NestRequest> = (
  context: ExecutionContext,
) => RouteCacheOptions<R> | false

/** Tags a successful mutation invalidates: fixed, or computed from the request. */
export type TagsSource<R = NestRequest> = readonly string[] | ((req: R) => readonly string[])

/**
 * Caches the responses of a route (on a method) or of every route of a controller (on the
 * class), with `options` merged over the module's defaults. A method's `@CacheResponse` replaces
 * its controller's. Options are validated here, when the class is defined: a bad one throws
 * `ERR_CACHE_INVALID_OPTION`. Pass a {@link CacheResponseFactory} for options known only at
 * request time; `false` from it disables caching for that request.
 *
 * Callbacks (`tags`, `key`, `varyBy.user`) receive the platform's request: pass its type as `R`.
 *
 * @example
 * @CacheResponse({ ttl: '1m', tags: (req) => [`item:${req.params.id}`] })
 * @Get(':id') findOne(@Param('id') id: string) { ... }
 */
export function CacheResponse<R = NestRequest>(
  options: RouteCacheOptions<R> | CacheResponseFactory<R> = {},
): CustomDecorator<string> {
  if (typeof options !== 'function') resolveRouteOptions(options)
  return SetMetadata(CACHE_RESPONSE_METADATA, options)
}

/** Turns caching off for one route of a `@CacheResponse` controller: no lookup, `x-cache` or invalidation. */
export function NoCache(): CustomDecorator<string> {
  return SetMetadata(NO_CACHE_METADATA, true)
}

/**
 * After a successful (2xx) POST, PUT, PATCH or DELETE through this route, invalidates these tags
 * (and, as every mutation through the cache does, the cached GET responses of the same path)
 * before the response is sent. Tags are fixed strings, or one function of the request.
 *
 * @example
 * @InvalidateTags((req) => [`item:${req.params.id}`])
 * @Put(':id') update(...) { ... }
 */
export function InvalidateTags<R = NestRequest>(
  ...tags: string[] | [(req: R) => readonly string[]]
): CustomDecorator<string> {
  const source: TagsSource<R> = typeof tags[0] === 'function' ? tags[0] : (tags as string[])
  resolveRouteOptions({ invalidateTags: source })
  return SetMetadata(INVALIDATE_TAGS_METADATA, source)
}
