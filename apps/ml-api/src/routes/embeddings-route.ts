import type { AppContext } from '../app-context.js'
import { requestCacheControl } from '../cache/request-cache-control.js'
import { invalidInput } from '../http/api-error.js'
import { sendJson, setBatchHeaders } from '../http/batch-headers.js'
import { tenantOf } from '../http/tenant.js'
import type { App } from '../http/typed-app.js'
import { EMBEDDING_DIMENSIONS, LOCAL_EMBEDDINGS_ID } from '../models/embeddings-model.js'
import { embeddingsSchema } from '../schemas/embeddings-schema.js'
import { float32ToBase64 } from '../upstream/float32-base64.js'

// A lone surrogate cannot be encoded as UTF-8: two different inputs would hash to one text.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** `POST /v1/embeddings`: OpenAI-compatible, cached per input text. */
export function registerEmbeddingsRoute(app: App, ctx: AppContext): void {
  const allowed = new Set(ctx.config.clientCacheControl)
  app.post('/v1/embeddings', { schema: embeddingsSchema }, async (request, reply) => {
    const body = request.body
    const model = ctx.models.embeddings(body.model)
    const texts = typeof body.input === 'string' ? [body.input] : body.input
    texts.forEach((text, i) => {
      if (LONE_SURROGATE.test(text)) throw invalidInput(`$.input[${i}]: contains a lone UTF-16 surrogate`)
    })
    if (body.dimensions !== undefined) {
      // Only the local model's size is known; an upstream's vectors would need `dimensions` in the key.
      if (model.id !== LOCAL_EMBEDDINGS_ID || body.dimensions !== EMBEDDING_DIMENSIONS) {
        throw invalidInput(
          `$.dimensions: only ${EMBEDDING_DIMENSIONS} with ${LOCAL_EMBEDDINGS_ID} is supported`,
        )
      }
    }
    const control = {
      ...requestCacheControl(request.headers, body.cache, allowed),
      tenant: tenantOf(ctx.config.modelCachePartition, request, body.user),
    }
    const result = await ctx.batch.resolve(model, texts, control)
    const base64 = body.encoding_format === 'base64'
    let tokens = 0
    const data = result.items.map((item, index) => {
      tokens += item.tokens
      return {
        object: 'embedding',
        index,
        embedding: base64 ? float32ToBase64(item.value) : Array.from(item.value),
      }
    })
    setBatchHeaders(reply, result, model.version)
    return sendJson(reply, {
      object: 'list',
      data,
      model: model.id,
      usage: { prompt_tokens: tokens, total_tokens: tokens },
    })
  })
}
