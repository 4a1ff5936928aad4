/**
 * Stable error codes of the API, the `error.code` of every error body, with their HTTP status.
 * Clients check the code (or the status), never the message.
 */
export const apiErrors = Object.freeze({
  /** 400: the request is not valid HTTP (answered before any route runs). */
  bad_request: 400,
  /** 400: the body is not JSON. */
  malformed_json: 400,
  /** 400: the body does not decode as its `Content-Encoding` says (gzip, deflate, br). */
  malformed_encoding: 400,
  /** 401: an admin route without the right bearer token. */
  unauthorized: 401,
  /** 404: no such route (admin routes too, while `ADMIN_TOKEN` is unset). */
  not_found: 404,
  /** 405: the route exists for another method. */
  method_not_allowed: 405,
  /** 408: the request (head or body) did not arrive in time; the connection is closed. */
  request_timeout: 408,
  /** 413: the body, once decoded, is larger than the body limit. */
  payload_too_large: 413,
  /** 415: the body is not `application/json` (UTF-8), or has a `Content-Encoding` other than gzip, deflate, br. */
  unsupported_media_type: 415,
  /**
   * 400: JSON, but the wrong shape or values (types, ranges, NaN/Infinity, `__proto__`, depth,
   * UTF-8). OpenAI answers every invalid request with a 400, and its clients expect that.
   */
  invalid_input: 400,
  /** 404: the requested model is not served here (OpenAI's status and code for it). */
  model_not_found: 404,
  /** 431: the request's header fields are too large. */
  headers_too_large: 431,
  /** 502: the upstream model API failed or answered something unusable. */
  upstream_error: 502,
  /** 503: the route needs `UPSTREAM_BASE_URL`. */
  upstream_not_configured: 503,
  /** 500: a bug; the details are in the log, not in the answer. */
  internal_error: 500,
} as const)

/** One of {@link apiErrors}. */
export type ApiErrorCode = keyof typeof apiErrors

/** OpenAI's error types: what its clients read besides the status. */
export type ApiErrorType = 'invalid_request_error' | 'server_error' | (string & {})

/**
 * The body of every error answer, OpenAI's shape: `{ error: { message, type, param, code } }`.
 * `param` names the offending request field (`input`, `inputs[0].hour`), or is null.
 */
export interface ApiErrorBody {
  error: { message: string; type: ApiErrorType; param: string | null; code: ApiErrorCode | string }
}

/** Options of {@link ApiError}. */
export interface ApiErrorOptions {
  /** What caused it (logged for a 5xx, never sent). */
  cause?: unknown
  /** HTTP status. @default the code's status in {@link apiErrors} */
  statusCode?: number
  /** Response headers of the answer. @default {} */
  headers?: Record<string, string>
  /** The request field at fault. @default the `$.path` that starts the message, else null */
  param?: string | null
  /** OpenAI error type. @default `invalid_request_error` below 500, `server_error` from 500 */
  type?: ApiErrorType
}

const MESSAGE_PATH = /^\$\.(\S+?):\s/

/** An error that becomes an answer with its own status and code (see the error handler). */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  /** HTTP status. */
  readonly statusCode: number
  /** Stable code. */
  readonly code: ApiErrorCode | string
  /** Response headers the answer carries (e.g. `accept-encoding` on a 415). */
  readonly headers: Readonly<Record<string, string>>
  /** The request field at fault, or null. */
  readonly param: string | null
  /** OpenAI error type. */
  readonly type: ApiErrorType

  constructor(code: ApiErrorCode, message: string, options: ApiErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.statusCode = options.statusCode ?? apiErrors[code]
    this.headers = options.headers ?? {}
    this.param = options.param !== undefined ? options.param : (MESSAGE_PATH.exec(message)?.[1] ?? null)
    this.type = options.type ?? (this.statusCode >= 500 ? 'server_error' : 'invalid_request_error')
  }

  /** The answer body. */
  toBody(): ApiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } }
  }
}

/** Shorthand for a 400 `invalid_input`; a message starting with `$.path:` names its param. */
export function invalidInput(message: string): ApiError {
  return new ApiError('invalid_input', message)
}

/** True for an {@link ApiError}, checked by shape (a second copy of this module breaks `instanceof`). */
export function isApiError(error: unknown): error is ApiError {
  return (
    error instanceof Error &&
    error.name === 'ApiError' &&
    typeof (error as ApiError).statusCode === 'number' &&
    typeof (error as ApiError).code === 'string'
  )
}
