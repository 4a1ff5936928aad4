import type { HttpDecision, SendDecision } from '@cache/core/http/adapter'
import type { FastifyReply } from 'fastify'

/**
 * Answers a request from the cache (a HIT, STALE, 304, or a flight leader's shared response)
 * before its handler runs: `reply.code().header()...send(bytes)`. The bytes go out as stored;
 * the `content-type`, `content-length` and `etag` among the decision's headers were computed
 * once, when the response was stored. Other `onSend` hooks of the route still run, so a hit
 * passes through the same pipeline as a miss.
 */
export function sendDecision(reply: FastifyReply, decision: Exclude<HttpDecision, { kind: 'done' }>): void {
  setHeaders(reply.code(decision.status), decision.headers)
  reply.send(decision.kind === 'send' ? bodyOf(decision) : undefined)
}

/**
 * Applies the core's decision inside the `onSend` hook that captured this request's own
 * payload, and returns the payload to send instead. When the decision replaces the handler's
 * response (stale-if-error, a 304, a shared response), the headers the handler set are removed
 * first; `preset` names those that existed before the handler ran (set by earlier hooks).
 * `captured` is the body the hook captured from `payload`, the handler's own.
 */
export function applyDecision(
  reply: FastifyReply,
  decision: HttpDecision,
  preset: ReadonlySet<string>,
  captured: Uint8Array,
  payload: unknown,
): unknown {
  if (decision.kind === 'done') return payload
  if (decision.replace) {
    for (const name of Object.keys(reply.getHeaders())) if (!preset.has(name)) reply.removeHeader(name)
  }
  setHeaders(reply.code(decision.status), decision.headers)
  if (decision.kind !== 'send') return null
  // The handler's own bytes go out as it gave them: Node writes a string and the headers in
  // one `write`, where a Buffer after the headers costs a `writev`.
  return decision.body === captured ? payload : bodyOf(decision)
}

function setHeaders(reply: FastifyReply, headers: SendDecision['headers']): void {
  for (let i = 0; i < headers.length; i++) {
    const [name, value] = headers[i]!
    reply.header(name, value)
  }
}

// Fastify writes strings and Buffers only; a body decoded from a store may be a plain Uint8Array.
function bodyOf(decision: SendDecision): Buffer {
  const body = decision.body
  return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
}
