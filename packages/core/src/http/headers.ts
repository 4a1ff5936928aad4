import type { HeaderPair, RequestHeaders, ResponseHeaders } from './types.js'

/**
 * Removes a request's conditional headers (`If-None-Match`, `If-Modified-Since`). The core answers
 * conditional requests itself (RFC 9110 §13.1): a handler whose response may be stored must
 * produce a full response, and a framework writing after a replayed one must not judge freshness
 * again. Adapters call it when `ProduceMode.hideConditionalHeaders` says so, with
 * `ProduceMode.validators`: when revalidating, the stored response's validators are set instead.
 */
export function hideConditionalHeaders(headers: RequestHeaders, validators?: readonly HeaderPair[]): void {
  const h = headers as Record<string, unknown>
  delete h['if-none-match']
  delete h['if-modified-since']
  // Revalidation (RFC 9111 §4.3.1): the stored response's validators go in their place.
  if (validators !== undefined) for (const [name, value] of validators) h[name] = value
}

/** One header's value as text: repeated fields joined with `, ` (RFC 9110 §5.3); `undefined` when absent. */
export function headerText(value: string | number | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number') return String(value)
  return value.join(', ')
}

/** Lowercases the names of a header record (Node already does; other frameworks may not). */
export function lowerCaseHeaders(
  headers: ResponseHeaders,
): Record<string, string | number | readonly string[]> {
  const out: Record<string, string | number | readonly string[]> = {}
  for (const name of Object.keys(headers)) {
    const value = headers[name]
    if (value !== undefined) out[name.toLowerCase()] = value
  }
  return out
}

/**
 * Headers a cache never replays: hop-by-hop fields (RFC 9110 §7.6.1; RFC 9111 §3.1), cookies of
 * the user the response was made for, and the fields the cache writes itself on every replay.
 */
const NOT_REPLAYED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'set-cookie',
  'content-length',
  'age',
  'etag',
  'x-cache',
  'cache-status',
])

/**
 * The headers of a captured response that a replay sends again, as `[name, value]` pairs with
 * lowercased names. Also drops every field the response's own `Connection` header names
 * (RFC 9110 §7.6.1).
 */
export function replayableHeaders(
  headers: Record<string, string | number | readonly string[]>,
): HeaderPair[] {
  const connection = headerText(headers.connection)
  const listed = connection === undefined ? undefined : new Set(connection.toLowerCase().split(/\s*,\s*/))
  const pairs: HeaderPair[] = []
  for (const name of Object.keys(headers)) {
    if (NOT_REPLAYED.has(name) || name.startsWith('proxy-') || listed?.has(name)) continue
    pairs.push([name, headerText(headers[name])!])
  }
  return pairs
}

/** Lowercased, sorted names of a `Vary` header; `['*']` when it contains `*`. */
export function varyNames(value: string | number | readonly string[] | undefined): string[] {
  const text = headerText(value)
  if (text === undefined) return []
  const names = new Set<string>()
  for (const part of text.split(',')) {
    const name = part.trim().toLowerCase()
    if (name === '*') return ['*']
    if (name.length > 0) names.add(name)
  }
  return [...names].sort()
}
