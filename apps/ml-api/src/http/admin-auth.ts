import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { ApiError } from './api-error.js'

const digest = (s: string) => createHash('sha256').update(s).digest()

/**
 * An `onRequest` hook guarding the admin routes. Without a token configured the routes do not
 * exist for clients: 404 `not_found`, before the body is even read. With one, a missing or wrong
 * bearer token is a 401. The comparison runs in constant time (on digests, so lengths leak nothing).
 */
export function adminGuard(token: string | undefined): (request: FastifyRequest) => Promise<void> {
  const expected = token === undefined ? undefined : digest(token)
  return async (request) => {
    if (expected === undefined) {
      throw new ApiError('not_found', `no route ${request.method} ${request.url.split('?')[0]}`)
    }
    const header = request.headers.authorization ?? ''
    const match = /^Bearer\s+(.+)$/i.exec(header)
    if (match === null || !timingSafeEqual(digest(match[1]!.trim()), expected)) {
      throw new ApiError('unauthorized', 'admin routes need Authorization: Bearer <ADMIN_TOKEN>')
    }
  }
}
