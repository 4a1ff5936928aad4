import type { FastifyError, FastifyInstance } from 'fastify'
import { ApiError, type ApiErrorCode, isApiError } from './api-error.js'
import { describeValidation } from './validation-message.js'

/** Fastify's own error codes, mapped onto ours so every error answer has one shape. */
const FASTIFY_CODES: Record<string, ApiErrorCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'malformed_json',
}

/**
 * Converts any error into an {@link ApiError}; unknown errors become a 500 without details.
 * `contentType` (the request's) and `bodyLimit` make the 415 and 413 messages say what went wrong.
 */
export function toApiError(error: FastifyError | Error, contentType?: string, bodyLimit?: number): ApiError {
  if (isApiError(error)) return error
  const fe = error as FastifyError
  if (fe.validation !== undefined) {
    const { message, param } = describeValidation(fe.validation, fe.validationContext)
    return new ApiError('invalid_input', message, { param })
  }
  const mapped = fe.code === undefined ? undefined : FASTIFY_CODES[fe.code]
  if (mapped === 'unsupported_media_type') {
    const sent = contentType ? `got ${contentType.split(';')[0]}` : 'no Content-Type'
    return new ApiError(mapped, `send Content-Type: application/json (${sent})`)
  }
  if (mapped === 'payload_too_large') {
    return new ApiError(
      mapped,
      `the body is larger than ${bodyLimit === undefined ? 'the limit' : `${bodyLimit} bytes`}`,
    )
  }
  if (mapped !== undefined) return new ApiError(mapped, fe.message)
  const status = fe.statusCode
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return new ApiError('invalid_input', fe.message, { statusCode: status })
  }
  return new ApiError('internal_error', 'internal error', { cause: error })
}

/**
 * Installs the error and not-found handlers: every failure answers OpenAI's shape,
 * `{ error: { message, type, param, code } }`. A 5xx is logged with its cause; its message
 * never leaks internals.
 */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const api = toApiError(error, request.headers['content-type'], app.initialConfig.bodyLimit)
    if (api.statusCode >= 500) request.log.error({ err: error }, 'request failed')
    // Errors are never cached: no cache header survives into an error answer.
    reply.removeHeader('x-cache').removeHeader('x-cache-hits').removeHeader('x-cache-misses')
    // A 408 closes the connection (RFC 9110 §15.5.9): the rest of the body may still be arriving.
    if (api.statusCode === 408) reply.header('connection', 'close')
    // Fastify closes the connection after any body error, but a 413 from `Content-Length` comes
    // before the body was read: closing with unread bytes resets the connection, and the reset can
    // discard the answer before the client reads it (RFC 9112 §9.6). Node reads the rest into the
    // void instead, bounded by the request timeout.
    else if (api.statusCode === 413) reply.removeHeader('connection')
    void reply
      .code(api.statusCode)
      .headers(api.headers)
      .type('application/json; charset=utf-8')
      .send(api.toBody())
  })
  app.setNotFoundHandler((request, reply) => {
    const api = new ApiError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)
    void reply.code(404).type('application/json; charset=utf-8').send(api.toBody())
  })
}
