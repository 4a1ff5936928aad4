import { type OutgoingHttpHeaders, ServerResponse } from 'node:http'
import type { Produced } from './types.js'

type Callback = (error?: Error | null) => void
type Writer = (this: ServerResponse, ...args: unknown[]) => unknown

/** The methods a hold intercepts. */
const HELD = ['writeHead', 'write', 'end', 'flushHeaders', 'addTrailers'] as const
type HeldName = (typeof HELD)[number]
type Methods = Record<HeldName, Writer>

const ABORTED: Produced = Object.freeze({ kind: 'aborted' })
const EMPTY = Buffer.alloc(0)

/** What a hold captures, when it captures (see `holdNodeResponse`). */
export interface HoldCapture {
  maxBytes: number
  onRelease(): void
}

/** The hold of each response being held, found by the intercepting methods. */
const holds = new WeakMap<ServerResponse, Hold>()
/** Framework response prototypes that dispatch to {@link holds}, with the methods they inherited. */
const patched = new WeakMap<object, Methods>()

/**
 * Holds back what the app writes to `raw` until `end()` (see `holdNodeResponse` for the rules);
 * `resolve` receives what was produced.
 *
 * Express (and Nest on Express) give each response its framework's prototype
 * (`Object.setPrototypeOf(res, app.response)`); adding own properties to such an object costs V8
 * a new hidden class each time (about 6 KB and tens of µs per response, measured). So on such a
 * prototype the intercepting methods are installed once, and dispatch through a WeakMap to the
 * response's hold, or to the inherited method when it is not held. A response that carries
 * own overrides of these methods (a compression middleware's) or Node's own prototype gets
 * per-response overrides instead, chaining to what it had.
 */
export function startHold(
  raw: ServerResponse,
  capture: HoldCapture | undefined,
  preset: ReadonlySet<string>,
  resolve: (produced: Produced) => void,
): void {
  // A hold inside another (never made by the adapters) chains to it through own overrides.
  const previous = holds.get(raw)
  const proto = Object.getPrototypeOf(raw) as object
  const shared =
    previous === undefined &&
    proto !== ServerResponse.prototype &&
    !HELD.some((name) => Object.hasOwn(raw, name))
  const original = shared ? dispatcherOf(proto) : ownOverrides(raw)
  holds.set(raw, new Hold(raw, original, !shared, capture, preset, resolve, previous))
  raw.on('close', onHeldClose)
}

function onHeldClose(this: ServerResponse): void {
  holds.get(this)?.settle(ABORTED)
}

/** Installs the dispatching methods on `proto` once; returns the methods it inherited. */
function dispatcherOf(proto: object): Methods {
  let inherited = patched.get(proto)
  if (inherited !== undefined) return inherited
  const target = proto as Record<HeldName, Writer>
  inherited = {} as Methods
  for (const name of HELD) {
    const next = target[name]
    inherited[name] = next
    target[name] = function held(this: ServerResponse, ...args: unknown[]) {
      const hold = holds.get(this)
      return hold === undefined ? next.apply(this, args) : hold[name](this, args)
    }
  }
  patched.set(proto, inherited)
  return inherited
}

/** Overrides the methods on `raw` itself; returns what it had (its own or its prototype's). */
function ownOverrides(raw: ServerResponse): Methods {
  const target = raw as unknown as Record<HeldName, Writer>
  const original = {} as Methods
  for (const name of HELD) {
    original[name] = target[name]
    target[name] = function held(this: ServerResponse, ...args: unknown[]) {
      const hold = holds.get(this)
      return hold === undefined ? original[name].apply(this, args) : hold[name](this, args)
    }
  }
  return original
}

class Hold {
  /** Writes held back: their arguments, to replay them as they were made, and their bytes. */
  readonly #pending: { args: unknown[]; bytes: Buffer }[] = []
  #pendingBytes = 0
  #settled = false

  constructor(
    readonly raw: ServerResponse,
    /** What the response did before the hold: where a pass-through goes. */
    readonly original: Methods,
    /** The overrides are own properties of `raw`, to remove when the hold ends. */
    readonly own: boolean,
    readonly capture: HoldCapture | undefined,
    readonly preset: ReadonlySet<string>,
    readonly resolve: (produced: Produced) => void,
    /** The hold this one is inside of, if any: it holds the response again once this one ends. */
    readonly previous: Hold | undefined,
  ) {}

  get settled(): boolean {
    return this.#settled
  }

  settle(produced: Produced): void {
    if (this.#settled) return
    this.#settled = true
    const raw = this.raw
    if (this.own) Object.assign(raw, this.original)
    if (this.previous !== undefined && !this.previous.settled) holds.set(raw, this.previous)
    else holds.delete(raw)
    raw.off('close', onHeldClose)
    this.resolve(produced)
  }

  /** Resolves as a pass-through and sends what was held back; answers as the last write would. */
  release(): boolean {
    if (this.#settled) return true
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
    let body = capture ? toBuffer(chunk, encoding as BufferEncoding | undefined) : EMPTY
    if (capture && pending.length > 0) body = Buffer.concat([...pending.map((write) => write.bytes), body])
    if (capture && body.byteLength > capture.maxBytes) {
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
