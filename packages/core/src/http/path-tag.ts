/**
 * The tag every stored response carries for its URL path, so that a mutation of the path (or
 * `HttpCache.invalidate({ paths })`) drops all its query, header and body variants at once.
 * Host-independent on purpose: the same app behind several host names or ports drops them all
 * (an extra invalidation is harmless, a missed one serves stale data).
 */
export function pathTag(path: string): string {
  return `path:${path}`
}
