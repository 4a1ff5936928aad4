import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { HttpDecision, Produced } from './types.js'

type Callback = (error?: Error | null) => void
type Writer = (this: ServerResponse, ...args: unknown[]) => unknown

const ABORTED: Produced = Object.freeze({ kind: 'aborted' })
const EMPTY = Buffer.alloc(0)

/**
 * True when nothing written to `res` can reach the client any more: the response or its socket
 * is destroyed (the client left). Its `close` event has then fired already and will not again,
 * so an adapter that would wait for it must check this first.
 */
export function isClientGone(res: ServerResponse): boolean {
  return res.destroyed || res.socket?.destroyed === true
}

/**
 * Holds back what the app writes to Node's response until `end()`, and resolves with it
 * (`captured`; nothing reaches the client). Express's `res.send` ends with `res.end(body)`;
 * Fastify 5's `reply.send` (after serialisation and `onSend` hooks) with `raw.writeHead(status,
 * headers)` + `raw.end(body)`, and Fastify 4's with `writeHead` + `write(body)` + `end()` in the
 * same synchronous run. So what is held is what the platform would send.
 *
 * With `capture`, writes are buffered while they could still be one whole body: an `end()` in
 * the same synchronous run as the first `write` (before the `process.nextTick` that write
 * queues) captures them with its own chunk. A `write` not followed at once by `end()` (a piped
 * stream, SSE), a `flushHeaders` or `addTrailers`, or a body over `maxBytes` switches to
 * pass-through (`onRelease` runs, what was buffered and everything after goes straight out), so
 * streaming is never broken; a `close` before `end`, or a client gone before the hold, is `aborted`. Without `capture`, the write is
 * discarded: the caller sends another response in its place.
 */
export function holdNodeResponse(
  raw: ServerResponse,
  capture?: { maxBytes: number; onRelease(): void },
): Promise<Produced> {
  // The client left before the hold began (while the cache was consulted, or before a busy
  // server reached this request): `close` has fired already and will not fire again, so waiting
  // for it would take the handler's later `end()` for a delivered, storable response.
  if (isClientGone(raw)) return Promise.resolve(ABORTED)
  const preset = new Set(raw.getHeaderNames())
  return new Promise<Produced>((resolve) => {
    const original = {
      writeHead: raw.writeHead,
      write: raw.write,
      end: raw.end,
      flushHeaders: raw.flushHeaders,
      addTrailers: raw.addTrailers,
    }
    // Writes held back (their arguments, to replay them as they were made, and their bytes).
    const pending: { args: unknown[]; bytes: Buffer }[] = []
    let pendingBytes = 0
    let settled = false
    const settle = (produced: Produced) => {
      if (settled) return
      settled = true
      Object.assign(raw, original)
      raw.off('close', onClose)
      resolve(produced)
    }
    const onClose = () => settle(ABORTED)
    // Resolves as a pass-through and sends what was held back; answers as the last write would.
    const release = (): boolean => {
      if (settled) return true
      settle({ kind: 'passthrough', status: raw.statusCode })
      if (!raw.headersSent) capture?.onRelease()
      let ok = true
      for (const write of pending)
        ok = (original.write as unknown as Writer).apply(raw, write.args) as boolean
      pending.length = 0
      return ok
    }
    const afterFinish = (callback: unknown) => {
      if (typeof callback === 'function') raw.once('finish', callback as Callback)
    }

    raw.writeHead = function writeHead(this: ServerResponse, status: number, ...rest: unknown[]) {
      this.statusCode = status
      if (typeof rest[0] === 'string') this.statusMessage = rest.shift() as string
      setHeaders(this, rest[0])
      return this
    } as ServerResponse['writeHead']
    raw.flushHeaders = function flushHeaders(this: ServerResponse) {
      if (!capture) return
      release()
      original.flushHeaders.call(this)
    }
    raw.addTrailers = function addTrailers(this: ServerResponse, trailers) {
      // Trailers are not stored: the response goes out as the app writes it.
      if (!capture) return
      release()
      original.addTrailers.call(this, trailers)
    }
    raw.write = function write(this: ServerResponse, ...args: unknown[]) {
      if (!capture) {
        afterFinish(args.find((arg) => typeof arg === 'function'))
        return true
      }
      const [chunk, encoding] = args
      const bytes = toBuffer(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined)
      pending.push({ args, bytes })
      pendingBytes += bytes.byteLength
      if (pendingBytes > capture.maxBytes) return release()
      // No `end()` in the same synchronous run: a stream, whose parts must go out as they come
      // A tick, not a microtask: a stream ends through `process.nextTick` callbacks, which Node
      // runs before microtasks; only a tick queued now runs before those.
      if (pending.length === 1) process.nextTick(release)
      return true
    } as ServerResponse['write']
    raw.end = function end(this: ServerResponse, chunk?: unknown, encoding?: unknown, cb?: unknown) {
      if (typeof chunk === 'function') [cb, chunk, encoding] = [chunk, undefined, undefined]
      else if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined]
      let body = capture ? toBuffer(chunk, encoding as BufferEncoding | undefined) : EMPTY
      if (capture && pending.length > 0) body = Buffer.concat([...pending.map((write) => write.bytes), body])
      if (capture && body.byteLength > capture.maxBytes) {
        release()
        return (original.end as unknown as Writer).call(this, chunk, encoding, cb)
      }
      for (const write of pending) afterFinish(write.args.find((arg) => typeof arg === 'function'))
      pending.length = 0
      afterFinish(cb)
      settle({ kind: 'captured', status: this.statusCode, headers: this.getHeaders(), body, preset })
      return this
    } as ServerResponse['end']
    raw.once('close', onClose)
  })
}

/**
 * Writes the core's decision with Node's own methods: `end(bytes)` sends the stored bytes as they
 * are, with none of a framework's body conversion or ETag hashing (the etag was computed once, when
 * the response was stored). When the decision replaces the handler's response, headers not in
 * `preset` (those set before the handler ran) are removed. Shared by every adapter whose platform
 * ends responses through Node's `ServerResponse` (Express, Nest on Express or Fastify).
 */
export function writeNodeDecision(
  raw: ServerResponse,
  decision: HttpDecision,
  preset?: ReadonlySet<string>,
): void {
  if (decision.kind === 'done' || raw.headersSent || raw.writableEnded) return
  if (decision.replace && preset !== undefined) {
    for (const name of raw.getHeaderNames()) if (!preset.has(name)) raw.removeHeader(name)
  }
  const headers = decision.headers
  if (raw.getHeaderNames().length === 0) {
    // Nothing set before us: one writeHead with a flat list, Node's fast path (no per-header
    // setHeader bookkeeping), as a hit is mostly this write.
    const flat: string[] = new Array(headers.length * 2)
    for (let i = 0; i < headers.length; i++) {
      const pair = headers[i]!
      flat[2 * i] = pair[0]
      flat[2 * i + 1] = pair[1]
    }
    raw.writeHead(decision.status, flat)
  } else {
    raw.statusCode = decision.status
    for (let i = 0; i < headers.length; i++) {
      const [name, value] = headers[i]!
      raw.setHeader(name, value)
    }
  }
  raw.end(decision.kind === 'send' ? decision.body : undefined)
}

function toBuffer(chunk: unknown, encoding: BufferEncoding | undefined): Buffer {
  if (chunk === undefined || chunk === null) return EMPTY
  if (typeof chunk === 'string') return Buffer.from(chunk, encoding ?? 'utf8')
  if (Buffer.isBuffer(chunk)) return chunk
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  return Buffer.from(String(chunk))
}

// writeHead accepts an object, an array of [name, value] pairs, or a flat [name, value, ...] list.
function setHeaders(raw: ServerResponse, headers: unknown): void {
  if (headers === undefined || headers === null) return
  if (Array.isArray(headers)) {
    if (Array.isArray(headers[0])) for (const [name, value] of headers) raw.setHeader(name, value)
    else for (let i = 0; i + 1 < headers.length; i += 2) raw.setHeader(headers[i], headers[i + 1])
    return
  }
  const record = headers as OutgoingHttpHeaders
  for (const name of Object.keys(record)) {
    const value = record[name]
    if (value !== undefined) raw.setHeader(name, value)
  }
}
