/**
 * `@cache/core/http/adapter`: what an adapter author calls to put a framework (or a plain Node
 * server) on the shared HTTP rules. An adapter turns the framework's request into an
 * `HttpRequestInfo` (`nodeRequestInfo`), resolves each route's options once
 * (`resolveRouteOptions`), calls `HttpCache.handle(info, route, produce)` with a `Produce` that
 * runs the handler and captures its response (`holdNodeResponse`), and writes the `HttpDecision`
 * back (`writeNodeDecision`). The options an application passes are in `@cache/core/http`.
 */
export {
  ADAPTER_OPTION_KEYS,
  AdapterCache,
  type AdapterCacheOptions,
  adapterCache,
  type CacheLifecycleOptions,
} from './http/adapter-cache.js'
export { bodyEtag, ifNoneMatchMatches } from './http/etag.js'
export { handledRequests } from './http/handled-requests.js'
export { hideConditionalHeaders } from './http/headers.js'
export { type NodeRequestFacts, nodeRequestInfo } from './http/node-request-info.js'
export { holdNodeResponse, isClientGone, writeNodeDecision } from './http/node-response.js'
export { normalizeQuery } from './http/normalize-query.js'
export { joinedBody, ownedBody } from './http/owned-body.js'
export { pathTag } from './http/path-tag.js'
export { replaceNextEnd } from './http/replace-next-end.js'
export { type ResolvedRoute, ROUTE_OPTION_KEYS, resolveRouteOptions } from './http/route-options.js'
export type {
  DoneDecision,
  HeaderPair,
  HttpCacheValue,
  HttpDecision,
  HttpRequestInfo,
  NotModifiedDecision,
  OriginFacts,
  Produce,
  Produced,
  ProduceMode,
  RequestHeaders,
  ResponseHeaders,
  SendDecision,
  StoredResponse,
  VariantIndex,
} from './http/types.js'
