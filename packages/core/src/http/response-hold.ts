import type { OutgoingHttpHeaders, ServerResponse } from 'node:http'
import { joinedBody, ownedBody } from './owned-body.js'
import { Interception, interceptionOf } from './response-interception.js'
import type { Produced } from './types.js'

type Callback = (error?: Error | null) => void

const ABORTED: Produced = Object.freeze({ kind: 'aborted' })
const EMPTY = Buffer.alloc(0)

/** What a hold captures, when it captures (see `holdNodeResponse`). */
export interface HoldCapture {
  maxBytes: number
  onRelease(): void
}

/**
 * Holds back what the app writes to `raw` until `end()` (see `holdNodeResponse` for the rules);
 * `resolve` receives what was produced. The methods are taken over as {@link Interception}
 * does: on Express, with no property added to the response.
 */
export function startHold(
  raw: ServerResponse,
  capture: HoldCapture | undefined,
  preset: ReadonlySet<string>,
  resolve: (produced: Produced) => void,
): void {
  new Hold(raw, capture, preset, resolve)
  raw.on('close', onHeldClose)
}

function onHeldClose(this: ServerResponse): void {
  const interception = interceptionOf(this)
  if (interception instanceof Hold) interception.settle(ABORTED)
}

class Hold extends Interception {
  /** Writes held back: their arguments, to replay them as they were made, and their bytes. */
  readonly #pending: { args: unknown[]; bytes: Buffer }[] = []
  #pendingBytes = 0

  constructor(
    raw: ServerResponse,
    readonly capture: HoldCapture | undefined,
    readonly preset: ReadonlySet<string>,
    readonly resolve: (produced: Produced) => void,
  ) {
    super(raw)
  }

  settle(produced: Produced): void {
    if (!this.finish()) return
    this.raw.off('close', onHeldClose)
    this.resolve(produced)
  }

  /** Resolves as a pass-through and sends what was held back; answers as the last write would. */
  release(): boolean {
    if (this.finished) return true
    const raw = this.raw
    this.settle({ kind: 'passthrough', status: raw.statusCode })
    if (!raw.headersSent) this.capture?.onRelease()
    let ok = true
    for (const write of this.#pending) ok = this.original.write.apply(raw, write.args) as boolean
    this.#pending.length = 0
    return ok
  }

  writeHead(raw: ServerResponse, args: unknown[]): ServerResponse {
    raw.statusCode = args[0] as number
    let at = 1
    if (typeof args[1] === 'string') raw.statusMessage = args[at++] as string
    setHeaders(raw, args[at])
    return raw
  }

  flushHeaders(raw: ServerResponse): void {
    if (!this.capture) return
    this.release()
    this.original.flushHeaders.call(raw)
  }

  addTrailers(raw: ServerResponse, args: unknown[]): void {
    // Trailers are not stored: the response goes out as the app writes it.
    if (!this.capture) return
    this.release()
    this.original.addTrailers.apply(raw, args)
  }

  write(_raw: ServerResponse, args: unknown[]): boolean {
    const capture = this.capture
    if (!capture) {
      afterFinish(
        this.raw,
        args.find((arg) => typeof arg === 'function'),
      )
      return true
    }
    const [chunk, encoding] = args
    const bytes = toBuffer(chunk, typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined)
    this.#pending.push({ args, bytes })
    this.#pendingBytes += bytes.byteLength
    if (this.#pendingBytes > capture.maxBytes) return this.release()
    // No `end()` in the same synchronous run: a stream, whose parts must go out as they come.
    // A tick, not a microtask: a stream ends through `process.nextTick` callbacks, which Node
    // runs before microtasks; only a tick queued now runs before those.
    if (this.#pending.length === 1) process.nextTick(() => this.release())
    return true
  }

  end(raw: ServerResponse, args: unknown[]): ServerResponse {
    let [chunk, encoding, cb] = args
    if (typeof chunk === 'function') [cb, chunk, encoding] = [chunk, undefined, undefined]
    else if (typeof encoding === 'function') [cb, encoding] = [encoding, undefined]
    const capture = this.capture
    const pending = this.#pending
    const enc = typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined
    // A body made here (a string encoded, writes joined) is the cache's own memory: stored
    // without another copy. A Buffer the app ended with is not: it may reuse it.
    let body: Buffer | undefined = EMPTY
    let owned = false
    if (capture && pending.length > 0) {
      body = joinedBody([...pending.map((write) => write.bytes), toBuffer(chunk, enc)])
      owned = true
    } else if (capture && typeof chunk === 'string') {
      body = ownedBody(chunk, capture.maxBytes, enc)
      owned = true
    } else if (capture) body = toBuffer(chunk, enc)
    if (body === undefined || (capture && body.byteLength > capture.maxBytes)) {
      this.release()
      return this.original.end.call(raw, chunk, encoding, cb) as ServerResponse
    }
    for (const write of pending)
      afterFinish(
        raw,
        write.args.find((arg) => typeof arg === 'function'),
      )
    pending.length = 0
    afterFinish(raw, cb)
    this.settle({
      kind: 'captured',
      status: raw.statusCode,
      headers: raw.getHeaders(),
      body,
      preset: this.preset,
      owned,
    })
    return raw
  }
}

function afterFinish(raw: ServerResponse, callback: unknown): void {
  if (typeof callback === 'function') raw.once('finish', callback as Callback)
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
