import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common'
import type { HttpAdapterHost } from '@nestjs/core'

const CODES: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'INVALID_INPUT',
}

/**
 * Every error as `{ error: { code, message } }`, on either platform (through the adapter):
 * the app's own HttpExceptions carry that body already; the platforms' body parser errors
 * (malformed JSON: 400, too large: 413, Fastify's 415) and the rest get one here.
 */
@Catch()
export class ErrorsFilter implements ExceptionFilter {
  readonly #logger = new Logger('Errors')

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = exception instanceof HttpException
    const status = http
      ? exception.getStatus()
      : Number((exception as { statusCode?: number }).statusCode ?? 500)
    let body = http ? exception.getResponse() : undefined
    if (typeof (body as { error?: { code?: unknown } } | undefined)?.error?.code !== 'string') {
      const message = status >= 500 ? 'Internal error' : String((exception as Error).message)
      body = { error: { code: CODES[status] ?? (status >= 500 ? 'INTERNAL' : 'ERROR'), message } }
    }
    if (status >= 500 && !http) this.#logger.error(exception)
    this.adapterHost.httpAdapter.reply(host.switchToHttp().getResponse(), body, status)
  }
}
