import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ApiError } from './api-error.js'
import { decodeContent } from './decode-content.js'
import { parseJsonBody } from './parse-json-body.js'

const CHARSET = /;\s*charset\s*=\s*"?([^";\s]+)"?/i

/**
 * Makes `application/json` (UTF-8) the only body type the app accepts. Fastify's own parsers are
 * removed: its `text/plain` parser would let a non-JSON body reach validation (a 400 instead of
 * the 415 we promise), and its JSON parser answers `__proto__` with a 400 and decodes invalid
 * UTF-8 leniently. Every other media type is a 415 from Fastify, shaped by the error handler.
 *
 * A `Content-Encoding` (gzip, deflate, br) is undone before parsing, and the body limit applies to
 * the decoded body too: Fastify's applies to the bytes received.
 */
export function registerJsonContentType(app: FastifyInstance): void {
  app.removeAllContentTypeParsers()
  app.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    async (request: FastifyRequest, body: Buffer) => {
      const charset = CHARSET.exec(request.headers['content-type'] ?? '')?.[1]?.toLowerCase()
      if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
        throw new ApiError('unsupported_media_type', `charset ${charset} is not supported: send UTF-8 JSON`)
      }
      const { bodyLimit } = request.routeOptions
      return parseJsonBody(await decodeContent(body, request.headers['content-encoding'], bodyLimit))
    },
  )
}
