import { Readable } from 'node:stream'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { AppContext } from '../app-context.js'
import { ApiError } from '../http/api-error.js'
import { sendJson } from '../http/batch-headers.js'
import type { App } from '../http/typed-app.js'
import { chatSchema } from '../schemas/chat-schema.js'
import { upstreamFailure } from '../upstream/upstream-client.js'

const OPT_IN = /^(1|true|yes)$/i

/** `POST /v1/chat/completions`: forwarded to the upstream; cached when deterministic. */
export function registerChatRoute(app: App, ctx: AppContext): void {
  app.post('/v1/chat/completions', { schema: chatSchema }, async (request, reply) => {
    const chat = ctx.chat
    if (chat === undefined) {
      throw new ApiError('upstream_not_configured', 'chat completions need UPSTREAM_BASE_URL')
    }
    const body = request.body
    if (!ctx.models.isChatModel(body.model)) {
      throw new ApiError(
        'model_not_found',
        `The model ${JSON.stringify(body.model)} is not allowed; use one of: ${ctx.models.chatModels.join(', ')}`,
        { param: 'model' },
      )
    }
    if (body.stream === true) {
      // Streams pass through uncached: storing one would mean replaying SSE framing faithfully.
      const controller = new AbortController()
      reply.raw.once('close', () => controller.abort())
      const res = await chat.stream(body, controller.signal)
      if (!res.ok || res.body === null) {
        throw upstreamFailure(res.status, await res.text().catch(() => ''), 'chat/completions')
      }
      reply.header('x-cache', 'BYPASS').type(res.headers.get('content-type') ?? 'text/event-stream')
      return reply.send(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>))
    }
    const optIn = OPT_IN.test(String(request.headers['x-cache-opt-in'] ?? ''))
    const outcome = await chat.complete(body, body.temperature === 0 || optIn)
    reply.header('x-cache', outcome.cache)
    return sendJson(reply, outcome.answer)
  })
}
