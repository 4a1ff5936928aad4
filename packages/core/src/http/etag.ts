import { hash } from 'node:crypto'

/**
 * A strong entity tag for a body (RFC 9110 §8.8.3): a SHA-256 digest, base64url, truncated to
 * 144 bits. Computed once, when a response without an origin `ETag` is stored.
 */
export function bodyEtag(body: Uint8Array): string {
  return `"${hash('sha256', body, 'base64url').slice(0, 24)}"`
}

/**
 * `If-None-Match` evaluation (RFC 9110 §13.1.2): `*` matches any current representation;
 * otherwise the weak comparison of each listed tag with `etag`.
 */
export function ifNoneMatchMatches(header: string | readonly string[] | undefined, etag: string): boolean {
  if (header === undefined) return false
  const text = typeof header === 'string' ? header : header.join(',')
  if (text.trim() === '*') return true
  const target = opaque(etag)
  for (const candidate of text.split(',')) {
    if (opaque(candidate.trim()) === target) return true
  }
  return false
}

// Weak comparison ignores the `W/` prefix.
function opaque(tag: string): string {
  return tag.startsWith('W/') ? tag.slice(2) : tag
}
