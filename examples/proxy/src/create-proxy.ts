import http, { type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Cache } from '@cache/core'
import { createHttpCache, type RouteCacheOptions } from '@cache/core/http'
import {
  type HttpDecision,
  type HttpRequestInfo,
  nodeRequestInfo,
  writeNodeDecision,
} from '@cache/core/http/adapter'
import { Pool } from 'undici'
import { backgroundFetch, forward } from './forward.js'

/** Options of {@link createProxy}. */
export interface ProxyOptions {
  /** The upstream's origin (`http://127.0.0.1:8000`): every request is forwarded there. */
  upstream: string
  /** The cache responses are stored in (memory, or memory + Redis shared by several instances). */
  cache: Cache
  /**
   * How responses are cached. The proxy caches as a shared HTTP cache: freshness, storage and
   * revalidation from the upstream's headers, request directives honoured.
   * @default { freshness: 'origin', honorRequestCacheControl: true, heuristic: 0.1,
   *   targets: ['surrogate-control', 'cdn-cache-control'] }
   */
  route?: RouteCacheOptions<IncomingMessage>
}

/** A caching reverse proxy: an HTTP server and what it needs to close. */
export interface Proxy {
  /** The server: call `listen` on it. */
  readonly server: Server
  /** Closes the server, the upstream connections and the cache. */
  close(): Promise<void>
}

/**
 * A caching reverse proxy in front of one upstream, on `@cache/core/http` (the same rules as the
 * framework adapters) with undici as the upstream client.
 */
export function createProxy(options: ProxyOptions): Proxy {
  const upstream = new Pool(options.upstream)
  const httpCache = createHttpCache<IncomingMessage>({
    cache: options.cache,
    freshness: 'origin',
    honorRequestCacheControl: true,
    // Heuristic freshness, as common shared caches give (RFC 9111 §4.2.2).
    heuristic: 0.1,
    // The fields reverse proxies obey over Cache-Control: Surrogate-Control (the W3C Edge
    // Architecture note) and CDN-Cache-Control (RFC 9213).
    targets: ['surrogate-control', 'cdn-cache-control'],
    ...options.route,
  })
  const route = httpCache.route()
  const server = http.createServer((req, res) => {
    const info: HttpRequestInfo<IncomingMessage> = nodeRequestInfo({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      protocol: 'http',
      host: req.headers.host,
      headers: req.headers,
      raw: req,
    })
    let result: HttpDecision | Promise<HttpDecision>
    try {
      const background = req.method === 'GET' ? backgroundFetch(upstream, req) : undefined
      result = httpCache.respond(info, route, (mode) => forward(upstream, req, res, mode), background)
    } catch (error) {
      fail(res, error)
      return
    }
    if (result instanceof Promise)
      result.then(
        (decision) => writeNodeDecision(res, decision, NONE),
        (error) => fail(res, error),
      )
    else writeNodeDecision(res, result, NONE)
  })
  return {
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await upstream.close()
      await options.cache.close()
    },
  }
}

const NONE: ReadonlySet<string> = new Set()

// The upstream could not be reached (or failed mid-way) and nothing stored could answer.
function fail(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy(error instanceof Error ? error : undefined)
    return
  }
  for (const name of res.getHeaderNames()) res.removeHeader(name)
  res.writeHead(502, { 'content-type': 'text/plain; charset=utf-8' })
  res.end('Bad Gateway\n')
}
