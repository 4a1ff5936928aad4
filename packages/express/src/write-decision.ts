import type { HttpDecision } from '@cache/core/http'
import type { Response } from 'express'

/**
 * Writes the core's decision with Node's own methods: `res.end(bytes)` sends the stored bytes as
 * they are, without `res.send`'s body conversion and ETag hashing (the etag was computed once,
 * when the response was stored). `preset` lists the headers that existed before the handler
 * ran; when the decision replaces the handler's response, what the handler set is removed.
 */
export function writeDecision(
  res: Response,
  decision: HttpDecision,
  preset: ReadonlySet<string> | undefined,
): void {
  if (decision.kind === 'done' || res.headersSent) return
  if (decision.replace && preset !== undefined) {
    for (const name of res.getHeaderNames()) if (!preset.has(name)) res.removeHeader(name)
  }
  res.statusCode = decision.status
  const headers = decision.headers
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!
    res.setHeader(name, value)
  }
  if (decision.kind === 'send') res.end(decision.body)
  else res.end()
}
