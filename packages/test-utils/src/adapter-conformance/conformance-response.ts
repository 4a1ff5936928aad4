import { call } from '../http-contract/contract-client.js'
import type { ConformanceRequestInit, ConformanceResponse } from './types.js'

type RawHeaders = Record<string, string | string[] | number | undefined>

/**
 * A {@link ConformanceResponse} from a status, headers as Node or `inject()` give them, and the
 * body bytes: for factories that do not listen (Fastify's `inject`).
 */
export function conformanceResponse(status: number, raw: RawHeaders, bytes: Buffer): ConformanceResponse {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = [value].flat().map(String).join(', ')
  }
  const text = bytes.toString('utf8')
  return {
    status,
    headers,
    bytes,
    text,
    header: (name) => headers[name.toLowerCase()],
    json: () => JSON.parse(text),
  }
}

/**
 * Sends requests to the app listening at `baseUrl` (`http://127.0.0.1:<port>`). Every request
 * names the same `Host` (the host is part of the cache key), as replicas behind a load balancer
 * see it, so that apps on two ports share entries through Redis.
 */
export function httpRequests(
  baseUrl: string,
): (path: string, init?: ConformanceRequestInit) => Promise<ConformanceResponse> {
  return async (path, init = {}) => {
    const res = await call(baseUrl + path, init)
    const headers: Record<string, string[]> = {}
    // Each Set-Cookie stays a value of its own (`Headers` would fold them into one).
    res.headers.forEach((value, name) => {
      headers[name] = name === 'set-cookie' ? res.headers.getSetCookie() : [value]
    })
    return conformanceResponse(res.status, headers, res.bytes)
  }
}
