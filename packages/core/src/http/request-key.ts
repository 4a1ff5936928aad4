import { errors, isCacheError } from '../errors.js'
import { hashKey } from '../keys/index.js'
import { headerText } from './headers.js'
import { normalizeQuery } from './normalize-query.js'
import type { ResolvedRoute } from './route-options.js'
import type { HttpRequestInfo, RequestHeaders } from './types.js'

/**
 * Version of the key layout: bump it whenever the tuple, what a field holds, or the stored value
 * shape changes. `http/2`: the host holds its port, so entries stored when ports shared one key
 * (and may hold another port's body) are never read.
 */
const KEY_FORMAT = 'http/2'

/** How a request's credentials (`Authorization`, `Cookie`) relate to the route. */
export type Credentials = 'none' | 'opted-in' | 'foreign'

/**
 * `none`: no credentials. `opted-in`: the route names what its key varies on for each credential
 * the request carries (per-user caching). `foreign`: the request carries credentials the key
 * ignores, so it may only be answered by a stored response marked `public` or `s-maxage`
 * (RFC 9111 §3.5) and never stores or joins a flight.
 */
export function credentialsOf(
  headers: RequestHeaders,
  route: Pick<ResolvedRoute, 'authOptIn' | 'cookieOptIn'>,
): Credentials {
  const auth = headers.authorization !== undefined
  const cookie = headers.cookie !== undefined
  if (!auth && !cookie) return 'none'
  return (auth && !route.authOptIn) || (cookie && !route.cookieOptIn) ? 'foreign' : 'opted-in'
}

/**
 * The primary key of a request: a structured tuple hashed with `hashKey` (canonical encoding +
 * SHA-256), never a concatenated string. HEAD shares GET's key. Returns `undefined` when the
 * request cannot be keyed safely (no parsed body on an opted-in POST, a body `hashKey` refuses,
 * credentials without a user): the request then bypasses the cache.
 *
 * A URL-only key served from memory before is read from a memo. When `pending` is given, it
 * receives what {@link rememberPrimaryKey} needs to memoize a digest computed here.
 */
export function primaryKey<R>(
  req: HttpRequestInfo<R>,
  route: ResolvedRoute<R>,
  credentials: Credentials,
  pending?: PendingKey,
): string | undefined {
  if (pending !== undefined) pending.memoKey = undefined
  const post = req.method === 'POST'
  if (post && req.body === undefined) return undefined
  const memoKey = urlMemoKey(req, route)
  if (memoKey !== undefined) {
    const known = URL_KEYS.get(memoKey)
    if (known !== undefined) return known
    if (pending !== undefined) pending.memoKey = memoKey
  }
  let user: string | number | null = null
  if (route.user !== undefined) {
    user = route.user(req.raw) ?? null
    // Credentials the key cannot attribute to a user must not share a user-less entry.
    if (user === null && credentials !== 'none') return undefined
  }
  const tuple = [
    KEY_FORMAT,
    post ? 'POST' : 'GET',
    req.protocol,
    req.host.toLowerCase(),
    req.path,
    normalizeQuery(req.query),
    route.varyHeaders.length === 0
      ? null
      : route.varyHeaders.map((name) => headerText(req.headers[name]) ?? null),
    route.varyCookies.length === 0 ? null : cookieValues(req.headers.cookie, route.varyCookies),
    user,
    // Two content types can parse to the same value (JSON `{"a":"1"}` and form `a=1`).
    post ? mediaType(req.headers['content-type']) : null,
    post ? req.body : null,
    route.key === undefined ? null : route.key(req.raw),
  ]
  try {
    return hashKey(tuple)
  } catch (error) {
    if (isCacheError(error, errors.ERR_CACHE_INVALID_KEY_INPUT)) return undefined
    throw error
  }
}

/**
 * A URL-only key digest that {@link primaryKey} computed and did not memoize. Reused by its owner
 * (one per `HttpCache`) between `primaryKey` and `rememberPrimaryKey` in one synchronous run, so
 * a hit whose digest came from the memo pays nothing more.
 */
export interface PendingKey {
  /** The memo key of the digest computed last, or `undefined` (memoized, or not URL-only). */
  memoKey: string | undefined
}

/**
 * Remembers `key`, the digest {@link primaryKey} computed with `pending`, when the route keys on
 * the URL alone: called when a response was served from memory, so the next request for that URL
 * skips the canonical encoding and SHA-256 of the key tuple (about 2 µs). Misses do not fill the
 * memo: under URL churn (every request a new URL) each would pay a memo insert and eviction, and
 * keep two strings alive past a young-generation GC, for a URL that may never come again.
 */
export function rememberPrimaryKey(pending: PendingKey, key: string): void {
  const memoKey = pending.memoKey
  if (memoKey === undefined) return
  pending.memoKey = undefined
  // Oldest first out: a bounded memo (a few hundred KB) whatever the URL churn.
  if (URL_KEYS.size >= URL_KEYS_MAX) URL_KEYS.delete(URL_KEYS.keys().next().value!)
  URL_KEYS.set(memoKey, key)
}

/** The memo key of a request whose route keys on the URL alone, else `undefined`. */
function urlMemoKey<R>(req: HttpRequestInfo<R>, route: ResolvedRoute<R>): string | undefined {
  if (
    req.method === 'POST' ||
    route.user !== undefined ||
    route.key !== undefined ||
    route.varyHeaders.length !== 0 ||
    route.varyCookies.length !== 0
  )
    return undefined
  const { protocol, host, path, query } = req
  // Length-prefixed, so distinct (protocol, host, path, query) can never give one memo key.
  return `${protocol.length}:${protocol}${host.length}:${host}${path.length}:${path}${query}`
}

/**
 * Digests of URL-only keys, by protocol, host, path and raw query. A pure function's memo, so it
 * is shared by every cache; it saves the canonical encoding and SHA-256 of the key tuple (about
 * 2 µs) on every repeated URL.
 */
const URL_KEYS = new Map<string, string>()
const URL_KEYS_MAX = 2048

/** Entries in the URL key memo (for tests). @internal */
export function urlKeyMemoSize(): number {
  return URL_KEYS.size
}

/** Key of one variant of a response that carried `Vary` (RFC 9111 §4.1). */
export function variantKey(primary: string, vary: readonly string[], headers: RequestHeaders): string {
  return hashKey([primary, vary, varyValues(vary, headers)])
}

/**
 * The values of the `vary` request headers, normalised where the header's semantics allow it
 * (RFC 9111 §4.1): whitespace around commas removed; case folded for the content negotiation
 * headers, whose tokens are case-insensitive. A missing header is `null`, distinct from `''`.
 */
export function varyValues(vary: readonly string[], headers: RequestHeaders): (string | null)[] {
  return vary.map((name) => {
    const text = headerText(headers[name])
    if (text === undefined) return null
    const compact = text.trim().replace(/\s*,\s*/g, ',')
    return CASE_INSENSITIVE.has(name) ? compact.toLowerCase() : compact
  })
}

const CASE_INSENSITIVE = new Set(['accept', 'accept-charset', 'accept-encoding', 'accept-language'])

function cookieValues(
  header: string | readonly string[] | undefined,
  names: readonly string[],
): (string | null)[] {
  const found = new Map<string, string>()
  const text = headerText(header)
  if (text !== undefined) {
    for (const part of text.split(';')) {
      const eq = part.indexOf('=')
      if (eq < 0) continue
      const name = part.slice(0, eq).trim()
      if (names.includes(name) && !found.has(name)) found.set(name, part.slice(eq + 1).trim())
    }
  }
  return names.map((name) => found.get(name) ?? null)
}

function mediaType(header: string | readonly string[] | undefined): string | null {
  const text = headerText(header)
  if (text === undefined) return null
  const semi = text.indexOf(';')
  return (semi < 0 ? text : text.slice(0, semi)).trim().toLowerCase()
}
