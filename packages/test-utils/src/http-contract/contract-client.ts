/** A response read whole, for the contract cases. */
export interface ContractResponse {
  status: number
  headers: Headers
  /** The raw body bytes. */
  bytes: Buffer
  /** `x-cache`, or `null`. */
  xCache: string | null
  /** The body parsed as JSON (throws when it is not JSON). */
  json<T = Record<string, unknown>>(): T
}

/** Sends one request to `url` and reads the whole response. */
export async function call(url: string, init: RequestInit = {}): Promise<ContractResponse> {
  const res = await fetch(url, init)
  const bytes = Buffer.from(await res.arrayBuffer())
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    xCache: res.headers.get('x-cache'),
    json: <T>() => JSON.parse(bytes.toString('utf8')) as T,
  }
}

/** POSTs a raw JSON text. */
export function postJson(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<ContractResponse> {
  return call(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
}

/** The per-route handler invocations of one app process (`GET /__calls`). */
export async function handlerCalls(baseUrl: string): Promise<Record<string, number>> {
  return (await call(`${baseUrl}/__calls`)).json<Record<string, number>>()
}

/** `route`'s handler invocations summed over every process. */
export async function totalCalls(baseUrls: readonly string[], route: string): Promise<number> {
  let total = 0
  for (const url of baseUrls) total += (await handlerCalls(url))[route] ?? 0
  return total
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
