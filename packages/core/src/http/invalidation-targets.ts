import { headerText, lowerCaseHeaders } from './headers.js'
import type { HttpRequestInfo, ResponseHeaders } from './types.js'

/**
 * The paths an unsafe request invalidates under `freshness: 'origin'` (RFC 9111 §4.4): its own,
 * and those of the response's `Location` and `Content-Location` when they name the same host
 * (another host's entries are not this request's to drop, §4.4 ¶3).
 */
export function invalidationPaths(req: HttpRequestInfo, headers: ResponseHeaders | undefined): string[] {
  const paths = [req.path]
  if (headers === undefined) return paths
  const lower = lowerCaseHeaders(headers)
  let base: URL
  try {
    // No host known: relative targets are still this host's (a placeholder stands in for it).
    base = new URL(`${req.protocol || 'http'}://${req.host || 'host.invalid'}${req.path}`)
  } catch {
    return paths
  }
  for (const name of ['location', 'content-location']) {
    const value = headerText(lower[name])
    if (value === undefined) continue
    let target: URL
    try {
      target = new URL(value, base)
    } catch {
      continue
    }
    if (target.host === base.host && !paths.includes(target.pathname)) paths.push(target.pathname)
  }
  return paths
}
