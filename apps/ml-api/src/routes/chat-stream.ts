import { finished, Readable, Transform } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { formatCacheStatus } from '@cache/core/http'
import type { FastifyReply } from 'fastify'
import type { ChatCache } from '../cache/chat-cache.js'
import { type ChatChunk, completionChunks, toSse } from '../cache/chat-chunks.js'
import type { RequestCacheControl } from '../cache/request-cache-control.js'
import { CACHE_STATUS_NAME, cacheStatusHeader } from '../http/batch-headers.js'
import type { ChatBody } from '../schemas/chat-schema.js'
import { SseRecorder } from '../upstream/sse-recorder.js'
import { upstreamFailure } from '../upstream/upstream-client.js'

/**
 * Answers a `stream: true` chat request. A cacheable one (temperature 0, or opted in) is
 * replayed from the cache when stored: its recorded chunks, or chunks made from a stored
 * non-streaming answer. Otherwise the upstream's stream passes through to the client as it
 * arrives, and a cacheable one is recorded on the way: stored once it ended with `[DONE]`, never
 * when the client left, the upstream failed or the stream was cut.
 */
export async function sendChatStream(
  reply: FastifyReply,
  chat: ChatCache,
  body: ChatBody,
  control: RequestCacheControl,
  cacheable: boolean,
): Promise<FastifyReply> {
  let tooOld = false
  if (cacheable) {
    const found = await chat.replay(body, control)
    if (found.hit !== undefined) {
      const withUsage =
        (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true
      const chunks =
        found.hit.chunks ?? completionChunks(found.hit.value as Record<string, unknown>, withUsage)
      return reply
        .header('x-cache', 'HIT')
        .header(
          'cache-status',
          cacheStatusHeader({ hits: 1, misses: 0, joined: 0, stored: 0, forced: false }),
        )
        .type('text/event-stream; charset=utf-8')
        .send(toSse(chunks))
    }
    tooOld = found.tooOld
  }
  const controller = new AbortController()
  reply.raw.once('close', () => controller.abort())
  const res = await chat.stream(body, controller.signal)
  if (!res.ok || res.body === null) {
    throw upstreamFailure(res.status, await res.text().catch(() => ''), 'chat/completions')
  }
  reply.type(res.headers.get('content-type') ?? 'text/event-stream')
  const upstream = Readable.fromWeb(res.body as WebReadableStream<Uint8Array>)
  if (!cacheable) {
    reply
      .header('x-cache', 'BYPASS')
      .header('cache-status', formatCacheStatus(CACHE_STATUS_NAME, { fwd: 'bypass' }))
    return reply.send(upstream)
  }
  const recorder = new SseRecorder()
  const tap = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      recorder.push(chunk)
      done(null, chunk)
    },
  })
  // Settles once the client has had every byte (complete), or the stream broke either way.
  const recorded = new Promise<ChatChunk[] | undefined>((resolve) => {
    finished(tap, (error) => resolve(error === undefined && recorder.complete ? recorder.chunks : undefined))
  })
  upstream.once('error', (error) => tap.destroy(error))
  upstream.pipe(tap)
  chat.record(body, control, recorded, tooOld)
  const forced = control.noCache || tooOld
  return reply
    .header('x-cache', 'MISS')
    .header('cache-status', formatCacheStatus(CACHE_STATUS_NAME, { fwd: forced ? 'request' : 'uri-miss' }))
    .send(tap)
}
