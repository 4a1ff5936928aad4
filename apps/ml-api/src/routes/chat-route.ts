import { formatCacheStatus } from '@cache/core/http'
import type { AppContext } from '../app-context.js'
import { requestCacheControl } from '../cache/request-cache-control.js'
import { ApiError } from '../http/api-error.js'
import { CACHE_STATUS_NAME, cacheStatusHeader, sendJson } from '../http/batch-headers.js'
import { tenantOf } from '../http/tenant.js'
import type { App } from '../http/typed-app.js'
import { chatSchema } from '../schemas/chat-schema.js'
import { sendChatStream } from './chat-stream.js'

const OPT_IN = /^(1|true|yes)$/i

/** `POST /v1/chat/completions`: forwarded to the upstream; cached when deterministic. */
export function registerChatRoute(app: App, ctx: AppContext): void {
  const allowed = new Set(ctx.config.clientCacheControl)
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
    const optIn = OPT_IN.test(String(request.headers['x-cache-opt-in'] ?? ''))
    const cacheable = body.temperature === 0 || optIn
    const control = {
      ...requestCacheControl(request.headers, body.cache, allowed),
      tenant: tenantOf(ctx.config.chatCachePartition, request, body.user),
    }
    if (body.stream === true) return sendChatStream(reply, chat, body, control, cacheable)
    const outcome = await chat.complete(body, cacheable, control)
    const hit = outcome.cache === 'HIT'
    reply.header('x-cache', outcome.cache).header(
      'cache-status',
      outcome.cache === 'BYPASS'
        ? formatCacheStatus(CACHE_STATUS_NAME, { fwd: 'bypass' })
        : cacheStatusHeader({
            hits: hit ? 1 : 0,
            misses: hit ? 0 : 1,
            joined: outcome.joined ? 1 : 0,
            stored: outcome.stored ? 1 : 0,
            forced: outcome.forced,
          }),
    )
    return sendJson(reply, outcome.answer)
  })
}
