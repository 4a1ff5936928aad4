import type { Produced, ProduceMode } from '@cache/core/http'
import type { NextFunction, Request, Response } from 'express'

const PASSTHROUGH: Produced = Object.freeze({ kind: 'passthrough' })
const ABORTED: Produced = Object.freeze({ kind: 'aborted' })

type Callback = (error?: Error | null) => void
type Writer = (this: Response, ...args: unknown[]) => unknown

/**
 * Runs the rest of the Express chain (`next()`) in the mode the core asked for.
 *
 * Capture mode wraps `res.writeHead`, `res.write`, `res.end` and `res.flushHeaders` until the
 * handler ends the response: `end(body)` is captured whole (nothing is sent; the core decides).
 * A `write` or `flushHeaders` means the handler streams, and a body over `maxBytes` is too big:
 * both switch to pass-through, writing straight to the client, so streaming is never broken.
 * A `close` before the handler's `end` means the client went away: the response is `aborted`
 * (also when the client is already gone by the time the core asks for the handler).
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
  if (mode.hideConditionalHeaders) {
    // The core answers conditional requests itself; the handler must produce a full response.
    delete req.headers['if-none-match']
    delete req.headers['if-modified-since']
  }
  if (!mode.capture) {
    if (mode.xCache !== undefined) res.setHeader('x-cache', mode.xCache)
    next()
    return Promise.resolve(PASSTHROUGH)
  }
  // The client left while the cache was consulted (a lookup, a lease wait): nothing could be
  // delivered or stored, so the handler is not run for it.
  if (res.destroyed || req.socket?.destroyed) return Promise.resolve(ABORTED)
  onCapture(new Set(res.getHeaderNames()))
  return new Promise<Produced>((resolve) => {
    const original = {
      writeHead: res.writeHead,
      write: res.write,
      end: res.end,
      flushHeaders: res.flushHeaders,
    }
    let settled = false
    const settle = (produced: Produced) => {
      if (settled) return
      settled = true
      Object.assign(res, original)
      res.off('close', onClose)
      resolve(produced)
    }
    const passThrough = () => {
      if (mode.xCache !== undefined && !res.headersSent) res.setHeader('x-cache', mode.xCache)
      settle({ kind: 'passthrough', status: res.statusCode })
    }
    const onClose = () => settle(ABORTED)

    // Headers and status go onto the response object instead of the wire, so nothing is sent yet.
    res.writeHead = function writeHead(this: Response, status: number, ...rest: unknown[]) {
      this.statusCode = status
      if (typeof rest[0] === 'string') this.statusMessage = rest.shift() as string
      setHeaders(this, rest[0])
      return this
    } as Response['writeHead']
    res.flushHeaders = function flushHeaders(this: Response) {
      passThrough()
      return original.flushHeaders.call(this)
    }
    res.write = function write(this: Response, ...args: unknown[]) {
      passThrough()
      return (original.write as unknown as Writer).apply(this, args)
    } as Response['write']
    res.end = function end(this: Response, chunk?: unknown, encoding?: unknown, cb?: unknown) {
      if (typeof chunk === 'function') [cb, chunk, encoding] = [chunk, undefined, undefined]
      else if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined]
      const body = toBuffer(chunk, encoding as BufferEncoding | undefined)
      if (body.byteLength > mode.maxBytes) {
        passThrough()
        return (original.end as unknown as Writer).call(this, chunk, encoding, cb)
      }
      if (typeof cb === 'function') this.once('finish', cb as Callback)
      settle({ kind: 'captured', status: this.statusCode, headers: this.getHeaders(), body })
      return this
    } as Response['end']
    res.once('close', onClose)
    next()
  })
}

function toBuffer(chunk: unknown, encoding: BufferEncoding | undefined): Buffer {
  if (chunk === undefined || chunk === null) return Buffer.alloc(0)
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding ?? 'utf8')
  if (Buffer.isBuffer(chunk)) return chunk
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  return Buffer.from(String(chunk))
}

// writeHead accepts an object, an array of [name, value] pairs, or a flat [name, value, ...] list.
function setHeaders(res: Response, headers: unknown): void {
  if (headers === undefined || headers === null) return
  if (Array.isArray(headers)) {
    if (Array.isArray(headers[0])) for (const [name, value] of headers) res.setHeader(name, value)
    else for (let i = 0; i + 1 < headers.length; i += 2) res.setHeader(headers[i], headers[i + 1])
    return
  }
  for (const [name, value] of Object.entries(headers as Record<string, string | number | string[]>)) {
    if (value !== undefined) res.setHeader(name, value)
  }
}
