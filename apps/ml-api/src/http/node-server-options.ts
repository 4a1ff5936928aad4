import type { ServerOptions } from 'node:http'

/**
 * Node's server options that carry the request timeout (Fastify assigns `requestTimeout` only once
 * the server exists). Node then enforces it on the whole request, and checks every
 * `connectionsCheckingInterval` (30 s by default; a quarter of the timeout here, within
 * 50 ms..1 s). The headers timeout must not exceed it: left at Node's 60 s above a shorter request
 * timeout, a slow body is never cut (seen on Node 20). With the request timeout off, the head still
 * has Node's 60 s.
 */
export function nodeServerOptions(requestTimeoutMs: number): ServerOptions {
  return {
    requestTimeout: requestTimeoutMs,
    headersTimeout: requestTimeoutMs > 0 ? Math.min(60_000, requestTimeoutMs) : 60_000,
    connectionsCheckingInterval: Math.min(1000, Math.max(50, Math.floor(requestTimeoutMs / 4))),
  }
}
