import type { IncomingMessage, ServerResponse } from 'node:http'
import { hideConditionalHeaders, type Produced, type ProduceMode } from '@cache/core/http/adapter'
import type { Dispatcher } from 'undici'

// Hop-by-hop fields (RFC 9110 §7.6.1) are for one connection: never forwarded either way.
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
])

const ABORTED: Produced = Object.freeze({ kind: 'aborted' })
const EMPTY = Buffer.alloc(0)

function bodiless(method: string, status: number): boolean {
  return method === 'HEAD' || status === 204 || status === 304 || status < 200
}

/**
 * The proxy's `produce`: sends the client's request to the upstream and, as the core asked,
 * captures the whole response (its status and headers set on `res`, its body held) or streams it
 * straight to the client. A body larger than `maxBytes` switches to streaming mid-way, so a large
 * download is never buffered whole. Rejects when the upstream cannot be reached or fails mid-way:
 * the caller (the core, then the proxy) decides between a stale response and a 502.
 */
export async function forward(
  upstream: Dispatcher,
  req: IncomingMessage,
  res: ServerResponse,
  mode: ProduceMode,
): Promise<Produced> {
  if (mode.hideConditionalHeaders) hideConditionalHeaders(req.headers, mode.validators)
  if (res.destroyed) return ABORTED
  const method = req.method ?? 'GET'
  const answer = await upstream.request({
    method: method as Dispatcher.HttpMethod,
    path: req.url ?? '/',
    headers: requestHeaders(req),
    body: method === 'GET' || method === 'HEAD' ? null : req,
  })
  const headers = responseHeaders(answer.headers)
  if (bodiless(method, answer.statusCode)) {
    // No body whatever Content-Length says (RFC 9110 §6.4.1); undici would count it missing.
    answer.body.dump().catch(() => undefined)
    res.statusCode = answer.statusCode
    for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
    if (!mode.capture) {
      setCacheHeaders(res, mode)
      res.end()
      return { kind: 'passthrough', status: answer.statusCode }
    }
    return { kind: 'captured', status: answer.statusCode, headers: res.getHeaders(), body: EMPTY }
  }
  res.statusCode = answer.statusCode
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value)
  if (!mode.capture) {
    setCacheHeaders(res, mode)
    return stream(answer.body, res, [])
  }
  const chunks: Buffer[] = []
  let size = 0
  // One iterator for both phases: leaving a `for await` would destroy the body mid-way.
  const body = (answer.body as AsyncIterable<Buffer>)[Symbol.asyncIterator]()
  for (let next = await body.next(); !next.done; next = await body.next()) {
    chunks.push(next.value)
    size += next.value.byteLength
    if (size > mode.maxBytes) {
      // Too large to store: whatever came so far goes out, and the rest streams.
      setCacheHeaders(res, mode)
      return stream({ [Symbol.asyncIterator]: () => body }, res, chunks)
    }
  }
  return {
    kind: 'captured',
    status: answer.statusCode,
    headers: res.getHeaders(),
    body: Buffer.concat(chunks),
  }
}

/**
 * The proxy's background `produce`: fetches the request's URL from the upstream for no client
 * (a `stale-while-revalidate` refresh), with a copy of the request's headers.
 */
export function backgroundFetch(
  upstream: Dispatcher,
  req: IncomingMessage,
): (mode: ProduceMode) => Promise<Produced> {
  const path = req.url ?? '/'
  return async (mode) => {
    // Copied when it runs (rarely), not per request: the client's request is answered by then.
    const headers = { ...req.headers }
    if (mode.hideConditionalHeaders) hideConditionalHeaders(headers, mode.validators)
    const answer = await upstream.request({
      method: 'GET',
      path,
      headers: requestHeaders({ headers } as IncomingMessage),
    })
    let body = EMPTY
    if (bodiless('GET', answer.statusCode)) answer.body.dump().catch(() => undefined)
    else body = Buffer.from(await answer.body.arrayBuffer())
    if (body.byteLength > mode.maxBytes) return { kind: 'passthrough', status: answer.statusCode }
    return { kind: 'captured', status: answer.statusCode, headers: responseHeaders(answer.headers), body }
  }
}

function setCacheHeaders(res: ServerResponse, mode: ProduceMode): void {
  if (mode.xCache !== undefined) res.setHeader('x-cache', mode.xCache)
  if (mode.cacheStatus !== undefined) res.setHeader('cache-status', mode.cacheStatus)
}

async function stream(body: AsyncIterable<Buffer>, res: ServerResponse, head: Buffer[]): Promise<Produced> {
  for (const chunk of head) res.write(chunk)
  for await (const chunk of body) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
  }
  res.end()
  return { kind: 'passthrough', status: res.statusCode }
}

function requestHeaders(req: IncomingMessage): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const listed = connectionTokens(req.headers.connection)
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue
    out[name] = value
  }
  return out
}

function responseHeaders(
  headers: Record<string, string | string[] | undefined>,
): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {}
  const listed = connectionTokens(headers.connection)
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || HOP_BY_HOP.has(name) || listed.has(name)) continue
    out[name] = value
  }
  return out
}

function connectionTokens(value: string | string[] | undefined): Set<string> {
  if (value === undefined) return new Set()
  return new Set(
    [value]
      .flat()
      .join(',')
      .split(',')
      .map((token) => token.trim().toLowerCase()),
  )
}
