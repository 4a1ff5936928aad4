import {
  hideConditionalHeaders,
  holdNodeResponse,
  isClientGone,
  type Produced,
  type ProduceMode,
} from '@cache/core/http/adapter'
import type { NextFunction, Request, Response } from 'express'

const PASSTHROUGH: Produced = Object.freeze({ kind: 'passthrough' })
const ABORTED: Produced = Object.freeze({ kind: 'aborted' })

/**
 * Runs the rest of the Express chain (`next()`) in the mode the core asked for. Capturing is the
 * core's `holdNodeResponse`: `end(body)` is captured whole (nothing is sent; the core decides); a
 * `write`/`flushHeaders` (streaming) or a body over `maxBytes` passes through untouched; a `close`
 * before `end` is `aborted`.
 *
 * `onCapture` receives the names of the headers set before the handler ran, so that a stored
 * response replayed instead of the handler's can drop what the handler set.
 */
export function produceResponse(
  req: Request,
  res: Response,
  next: NextFunction,
  mode: ProduceMode,
  onCapture: (preset: ReadonlySet<string>) => void,
): Promise<Produced> {
  if (mode.hideConditionalHeaders) hideConditionalHeaders(req.headers, mode.validators)
  if (!mode.capture) {
    if (mode.xCache !== undefined) res.setHeader('x-cache', mode.xCache)
    if (mode.cacheStatus !== undefined) res.setHeader('cache-status', mode.cacheStatus)
    next()
    return Promise.resolve(PASSTHROUGH)
  }
  // The client left while the cache was consulted (a lookup, a lease wait): nothing could be
  // delivered or stored, so the handler is not run for it.
  if (isClientGone(res)) return Promise.resolve(ABORTED)
  onCapture(new Set(res.getHeaderNames()))
  const held = holdNodeResponse(res, {
    maxBytes: mode.maxBytes,
    onRelease: () => {
      if (mode.xCache !== undefined) res.setHeader('x-cache', mode.xCache)
      if (mode.cacheStatus !== undefined) res.setHeader('cache-status', mode.cacheStatus)
    },
  })
  next()
  return held
}
