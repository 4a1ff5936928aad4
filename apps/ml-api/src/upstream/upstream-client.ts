import { ApiError } from '../http/api-error.js'

/** Where the OpenAI-compatible upstream is and how to call it. */
export interface UpstreamOptions {
  /** Base URL including the API version path, e.g. `https://api.openai.com/v1/`. */
  baseUrl: string
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string
  /** Deadline of one call in ms. */
  timeoutMs: number
}

/** An upstream answer: status, headers and the raw `Response` (body not read yet). */
export type UpstreamResponse = Response

/**
 * A small client for an OpenAI-compatible API over `fetch`. Network failures and timeouts become
 * a 502 `upstream_error`; reading statuses is left to the caller (a chat 400 is the client's
 * fault and is relayed, an embeddings 500 is ours to report).
 */
export class UpstreamClient {
  readonly #options: UpstreamOptions

  constructor(options: UpstreamOptions) {
    this.#options = options
  }

  /** `host/path` of the upstream, without credentials: part of upstream model versions. */
  get identity(): string {
    const url = new URL(this.#options.baseUrl)
    return `${url.host}${url.pathname}`
  }

  /** POSTs `body` as JSON to `path` (relative to the base URL). */
  async post(path: string, body: unknown, signal?: AbortSignal): Promise<UpstreamResponse> {
    const timeout = AbortSignal.timeout(this.#options.timeoutMs)
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
    if (this.#options.apiKey) headers.authorization = `Bearer ${this.#options.apiKey}`
    try {
      return await fetch(new URL(path, this.#options.baseUrl), {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
      })
    } catch (error) {
      const reason = timeout.aborted
        ? `no answer within ${this.#options.timeoutMs} ms`
        : (error as Error).message
      throw new ApiError('upstream_error', `upstream ${path}: ${reason}`, { cause: error })
    }
  }

  /** POSTs and reads a JSON answer; a non-2xx answer becomes an {@link ApiError} (see {@link upstreamFailure}). */
  async postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    const res = await this.post(path, body, signal)
    const text = await readText(res, path)
    if (!res.ok) throw upstreamFailure(res.status, text, path)
    try {
      return JSON.parse(text) as T
    } catch {
      throw new ApiError('upstream_error', `upstream ${path}: the answer is not JSON`)
    }
  }
}

async function readText(res: Response, path: string): Promise<string> {
  try {
    return await res.text()
  } catch (error) {
    throw new ApiError('upstream_error', `upstream ${path}: ${(error as Error).message}`, { cause: error })
  }
}

/**
 * The error for a failed upstream answer. A 4xx other than 401/403 is the client's request
 * (bad parameters, rate limit): relayed with its status and message. Anything else, including
 * our own credentials being refused, is a 502.
 */
export function upstreamFailure(status: number, text: string, path: string): ApiError {
  let message = text.slice(0, 500)
  let detail: { type?: unknown; param?: unknown } = {}
  try {
    const parsed = JSON.parse(text) as {
      error?: { message?: unknown; type?: unknown; param?: unknown } | string
    }
    const m = typeof parsed.error === 'string' ? parsed.error : parsed.error?.message
    if (typeof m === 'string') message = m
    if (typeof parsed.error === 'object' && parsed.error !== null) detail = parsed.error
  } catch {
    // Not JSON: keep the start of the text.
  }
  const relayed = status >= 400 && status < 500 && status !== 401 && status !== 403
  // A relayed error keeps the upstream's type and param: the client's request is what they describe.
  return new ApiError('upstream_error', `upstream ${path} answered ${status}: ${message}`, {
    statusCode: relayed ? status : 502,
    param: relayed && typeof detail.param === 'string' ? detail.param : null,
    ...(relayed && typeof detail.type === 'string' ? { type: detail.type } : {}),
  })
}
