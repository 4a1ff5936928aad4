import { PassThrough } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { ApiError } from './api-error.js'

/**
 * Bounds the time a request body may take to arrive, counted from its head: past `timeoutMs` the
 * request is answered 408 `request_timeout` (and the connection closed, see the error handler),
 * however steadily the bytes trickle in. Node's `requestTimeout` would catch it too, but only at
 * its next periodic check and with a bare answer; this one is exact and goes through the error
 * handler. `0` turns it off.
 */
export function registerBodyTimeout(app: FastifyInstance, timeoutMs: number): void {
  if (timeoutMs <= 0) return
  app.addHook('preParsing', (request, reply, payload, done) => {
    const { headers } = request
    const length = headers['content-length']
    if (headers['transfer-encoding'] === undefined && (length === undefined || length === '0')) {
      return done(null, payload)
    }
    const body = new PassThrough()
    const timer = setTimeout(() => {
      release()
      body.destroy(new ApiError('request_timeout', `the body did not arrive within ${timeoutMs} ms`))
    }, timeoutMs)
    const stop = () => clearTimeout(timer)
    // Stops forwarding and reads whatever still arrives into the void (what Node does with a body
    // nobody reads): unread bytes at close make the kernel reset the connection, and a reset can
    // discard the answer before the client reads it.
    const release = () => {
      stop()
      payload.unpipe(body)
      payload.resume()
    }
    payload.once('end', stop)
    payload.once('close', stop)
    payload.on('error', (error) => body.destroy(error))
    // Answered before the body was read (a Content-Length over the limit...): drop the rest.
    reply.raw.once('finish', release)
    payload.pipe(body)
    done(null, body)
  })
}
