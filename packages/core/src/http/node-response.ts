import type { ServerResponse } from 'node:http'
import { startHold } from './response-hold.js'
import type { HttpDecision, Produced } from './types.js'

const ABORTED: Produced = Object.freeze({ kind: 'aborted' })

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
  return new Promise<Produced>((resolve) => startHold(raw, capture, preset, resolve))
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
