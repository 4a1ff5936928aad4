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
}

const EMPTY: CacheControl = Object.freeze({
  public: false,
  private: false,
  noStore: false,
  noCache: false,
  maxAge: undefined,
  sMaxAge: undefined,
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
  for (const part of splitDirectives(text)) {
    const eq = part.indexOf('=')
    const name = (eq < 0 ? part : part.slice(0, eq)).trim().toLowerCase()
    const value = eq < 0 ? undefined : unquote(part.slice(eq + 1).trim())
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
