import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyInstance } from 'fastify'
import { ApiError } from './api-error.js'

/**
 * Fastify's `clientErrorHandler`: what Node reports before a request reaches a route (the request
 * timeout, headers too large, a malformed request) answers in the API's error shape, with
 * `Connection: close`, and the connection is closed.
 */
export function clientErrorHandler(
  this: FastifyInstance,
  error: NodeJS.ErrnoException,
  socket: Socket,
): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const api =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new ApiError('request_timeout', 'the request did not arrive in time')
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? new ApiError('headers_too_large', 'the request header fields are too large')
        : new ApiError('bad_request', 'the request is not valid HTTP/1.1')
  this.log.debug({ err: error }, `client error: ${api.code}`)
  // Node's own rule: answer only while nothing of a response went out on this socket, or the
  // bytes would land in the middle of another answer.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent: boolean } })._httpMessage
  if (socket.writable && inFlight?.headersSent !== true) {
    const body = JSON.stringify(api.toBody())
    socket.write(
      `HTTP/1.1 ${api.statusCode} ${STATUS_CODES[api.statusCode]}\r\n` +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}
