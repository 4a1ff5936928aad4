/**
 * Normalises a raw query string into the pairs a key is built from: parameters sorted by name
 * (a stable sort, so repeated parameters keep their order: `a=2&a=1` ≠ `a=1&a=2`), names and
 * values percent-decoded (`+` is a space, as in form encoding), empty segments dropped. An empty
 * query (`''` or a bare `?`) gives `null`, the same as no query at all.
 *
 * Pairs stay structured (hashed with `hashKey`), so no `&`/`=` inside a value can collide with
 * another parameter list.
 */
export function normalizeQuery(query: string): (readonly [string, string])[] | null {
  if (query.length === 0) return null
  const pairs: [string, string][] = []
  for (const segment of query.split('&')) {
    if (segment.length === 0) continue
    const eq = segment.indexOf('=')
    const name = decode(eq < 0 ? segment : segment.slice(0, eq))
    pairs.push([name, eq < 0 ? '' : decode(segment.slice(eq + 1))])
  }
  if (pairs.length === 0) return null
  if (pairs.length > 1) pairs.sort(byName)
  return pairs
}

function byName(a: readonly [string, string], b: readonly [string, string]): number {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
}

function decode(text: string): string {
  const plus = text.includes('+') ? text.replaceAll('+', ' ') : text
  if (!plus.includes('%')) return plus
  try {
    return decodeURIComponent(plus)
  } catch {
    // Malformed escapes are keyed as sent: distinct from any well-formed value.
    return `\u0000${plus}`
  }
}
