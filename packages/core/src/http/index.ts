export {
  ADAPTER_OPTION_KEYS,
  AdapterCache,
  type AdapterCacheOptions,
  adapterCache,
  type CacheLifecycleOptions,
} from './adapter-cache.js'
export { type CacheControl, parseCacheControl } from './cache-control.js'
export {
  type CacheStatusForward,
  type CacheStatusOptions,
  type CacheStatusParams,
  formatCacheStatus,
} from './cache-status.js'
export { bodyEtag, ifNoneMatchMatches } from './etag.js'
export { handledRequests } from './handled-requests.js'
export { hideConditionalHeaders } from './headers.js'
export { createHttpCache, HttpCache, type HttpCacheOptions, type HttpInvalidation } from './http-cache.js'
export { type NodeRequestFacts, nodeRequestInfo } from './node-request-info.js'
export { holdNodeResponse, isClientGone, writeNodeDecision } from './node-response.js'
export { normalizeQuery } from './normalize-query.js'
export { pathTag } from './path-tag.js'
export {
  type ResolvedRoute,
  ROUTE_OPTION_KEYS,
  type RouteCacheOptions,
  type RouteCallback,
  resolveRouteOptions,
  type VaryBy,
} from './route-options.js'
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
  XCacheStatus,
} from './types.js'
