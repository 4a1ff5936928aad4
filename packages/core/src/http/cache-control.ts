/** The `Cache-Control` directives the HTTP rules act on (RFC 9111 §5.2). */
export interface CacheControl {
  /** `public` (RFC 9111 §5.2.2.9). */
  public: boolean
  /** `private`, with or without a field list (§5.2.2.7): never stored by a shared cache. */
  private: boolean
  /** `no-store` (§5.2.1.5, §5.2.2.5). */
  noStore: boolean
  /** `no-cache`, with or without a field list (§5.2.1.4, §5.2.2.4). */
  noCache: boolean
  /** `max-age` in seconds (§5.2.1.1, §5.2.2.1), when present and valid. */
  maxAge: number | undefined
  /** `s-maxage` in seconds (§5.2.2.10), when present and valid. */
  sMaxAge: number | undefined
  /** `must-revalidate` (§5.2.2.2): never served stale. */
  mustRevalidate: boolean
  /** `proxy-revalidate` (§5.2.2.8): never served stale by a shared cache. */
  proxyRevalidate: boolean
  /** `max-stale` in seconds (§5.2.1.2); `Infinity` without a value. */
  maxStale: number | undefined
  /** `min-fresh` in seconds (§5.2.1.3). */
  minFresh: number | undefined
  /** `only-if-cached` (§5.2.1.7). */
  onlyIfCached: boolean
  /** `stale-while-revalidate` in seconds (RFC 5861 §3). */
  staleWhileRevalidate: number | undefined
  /** `stale-if-error` in seconds (RFC 5861 §4). */
  staleIfError: number | undefined
  /** `must-understand` (§5.2.2.3). */
  mustUnderstand: boolean
}

const EMPTY: CacheControl = Object.freeze({
  public: false,
  private: false,
  noStore: false,
  noCache: false,
  maxAge: undefined,
  sMaxAge: undefined,
  mustRevalidate: false,
  proxyRevalidate: false,
  maxStale: undefined,
  minFresh: undefined,
  onlyIfCached: false,
  staleWhileRevalidate: undefined,
  staleIfError: undefined,
  mustUnderstand: false,
})

/**
 * Parses a `Cache-Control` header (one string, or the values of repeated fields). Directive
 * names are case-insensitive; unknown directives are ignored (RFC 9111 §5.2.3); a malformed
 * delta-seconds value is ignored rather than guessed.
 */
export function parseCacheControl(header: string | number | readonly string[] | undefined): CacheControl {
  if (header === undefined) return EMPTY
  const text = typeof header === 'string' ? header : Array.isArray(header) ? header.join(',') : String(header)
  if (text.length === 0) return EMPTY
  const cc = { ...EMPTY }
  // A directive given twice counts once, its first time (RFC 9111 §4.2.1 lets a cache use the first).
  const seen = new Set<string>()
  for (const part of splitDirectives(text)) {
    const eq = part.indexOf('=')
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase()
    const value = eq < 0 ? undefined : unquote(part.slice(eq + 1).trim())
    if (seen.has(name)) continue
    seen.add(name)
    switch (name) {
      case 'public':
        cc.public = true
        break
      case 'private':
        cc.private = true
        break
      case 'no-store':
        cc.noStore = true
        break
      case 'no-cache':
        cc.noCache = true
        break
      case 'max-age':
        cc.maxAge = seconds(value)
        break
      case 's-maxage':
        cc.sMaxAge = seconds(value)
        break
      case 'must-revalidate':
        cc.mustRevalidate = true
        break
      case 'proxy-revalidate':
        cc.proxyRevalidate = true
        break
      case 'max-stale':
        cc.maxStale = value === undefined ? Number.POSITIVE_INFINITY : seconds(value)
        break
      case 'min-fresh':
        cc.minFresh = seconds(value)
        break
      case 'only-if-cached':
        cc.onlyIfCached = true
        break
      case 'stale-while-revalidate':
        cc.staleWhileRevalidate = seconds(value)
        break
      case 'stale-if-error':
        cc.staleIfError = seconds(value)
        break
      case 'must-understand':
        cc.mustUnderstand = true
        break
    }
  }
  return cc
}

// Commas inside a quoted field list (`private="a, b"`) do not separate directives.
function splitDirectives(text: string): string[] {
  const parts: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x22) quoted = !quoted
    else if (c === 0x2c && !quoted) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
}

function seconds(value: string | undefined): number | undefined {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : undefined
}
