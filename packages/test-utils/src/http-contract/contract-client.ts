import http from 'node:http'

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

/**
 * The `Host` every contract request carries, whichever process it reaches, unless it names its
 * own: the processes are replicas of one site behind a load balancer. The host, port included, is
 * part of the cache key, so requests naming each process's own address would never share an entry.
 */
export const CONTRACT_HOST = 'app.test:8080'

/** What a contract request may set. */
export interface CallInit {
  /** @default 'GET' */
  method?: string
  /** Request headers; `host` replaces {@link CONTRACT_HOST}. */
  headers?: Record<string, string>
  body?: string
  signal?: AbortSignal
}

/**
 * Sends one request to the process at `url` and reads the whole response. Node's `http`, not
 * `fetch`: `fetch` never lets a caller set `Host`.
 */
export function call(url: string, init: CallInit = {}): Promise<ContractResponse> {
  const target = new URL(url)
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        hostname: target.hostname,
        port: target.port,
        path: target.pathname + target.search,
        method: init.method ?? 'GET',
        headers: { host: CONTRACT_HOST, ...init.headers },
        signal: init.signal,
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('error', reject)
        res.on('close', () => {
          if (!res.complete) return reject(new Error(`${url}: response cut short`))
          const bytes = Buffer.concat(chunks)
          const headers = new Headers()
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of [value ?? []].flat()) headers.append(name, one)
          }
          resolve({
            status: res.statusCode ?? 0,
            headers,
            bytes,
            xCache: headers.get('x-cache'),
            json: <T>() => JSON.parse(bytes.toString('utf8')) as T,
          })
        })
      },
    )
    req.on('error', reject)
    req.end(init.body)
  })
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
