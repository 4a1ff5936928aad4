/**
 * `@cache/core/http`: the HTTP caching rules every adapter shares, written
 * once and free of any framework. Adapters build an `HttpRequestInfo`, call
 * `HttpCache.handle(info, route, produce)` and write the `HttpDecision` back.
 */
export * from './http/index.js'
