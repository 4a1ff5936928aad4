/**
 * Stable error codes of the API, the `error.code` of every error body. Clients check the code,
 * never the message.
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
  /** 422: JSON, but the wrong shape or values (types, ranges, NaN/Infinity, `__proto__`, depth, UTF-8). */
  invalid_input: 422,
  /** 422: the requested model is not served here. */
  unknown_model: 422,
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

/** The body of every error answer: `{ error: { code, message } }`. */
export interface ApiErrorBody {
  error: { code: ApiErrorCode | string; message: string }
}

/** An error that becomes an answer with its own status and code (see the error handler). */
export class ApiError extends Error {
  override readonly name = 'ApiError'
  /** HTTP status. */
  readonly statusCode: number
  /** Stable code. */
  readonly code: ApiErrorCode | string
  /** Response headers the answer carries (e.g. `accept-encoding` on a 415). */
  readonly headers: Readonly<Record<string, string>>

  constructor(
    code: ApiErrorCode,
    message: string,
    options?: { cause?: unknown; statusCode?: number; headers?: Record<string, string> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.statusCode = options?.statusCode ?? apiErrors[code]
    this.headers = options?.headers ?? {}
  }

  /** The answer body. */
  toBody(): ApiErrorBody {
    return { error: { code: this.code, message: this.message } }
  }
}

/** Shorthand for a 422 `invalid_input`. */
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
