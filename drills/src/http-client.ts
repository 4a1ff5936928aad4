import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'

/** One answered HTTP request, with the drill's clock readings around it. */
export interface HttpAnswer {
  status: number
  /** Lower-cased header names. */
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** A request the drill sends: where, what, and when it started on the drill's clock. */
export interface HttpCall {
  method: 'GET' | 'POST' | 'PUT'
  url: string
  /** JSON body, sent with `content-type: application/json`. */
  json?: unknown
}

/**
 * A keep-alive HTTP/1.1 client for the drill's workers. Plain `node:http` rather than `fetch`:
 * a few hundred requests a second from the drill process itself must not eat the CPU the apps
 * under test need (two cores), and its clock readings must not include a fetch layer's queueing.
 */
export class HttpClient {
  // Idle sockets are closed after 1 s, well before the apps' keep-alive timeout (Node's 5 s):
  // otherwise a request can go out on a socket the server is closing at that very moment and
  // fail with ECONNRESET, a failure of the drill, not of the app. (Node's agent only applies
  // the server's `Keep-Alive: timeout` hint when an agent timeout is set.) LIFO reuses the
  // warmest sockets and lets the surplus of a latency spike go idle and close.
  readonly #agent = new Agent({ keepAlive: true, maxSockets: 256, timeout: 1000, scheduling: 'lifo' })
  readonly #timeoutMs: number

  /** `timeoutMs`: past it a request is abandoned and counted as failed. */
  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs
  }

  /** Sends `call`; rejects on a network error or after the timeout. Any status resolves. */
  send(call: HttpCall): Promise<HttpAnswer> {
    const payload = call.json === undefined ? undefined : Buffer.from(JSON.stringify(call.json))
    return new Promise((resolve, reject) => {
      const req = request(
        call.url,
        {
          method: call.method,
          agent: this.#agent,
          // Given to the socket as soon as it is assigned: `req.setTimeout` alone waits for a new
          // socket's `connect`, and until then the agent's idle 1 s applies, so a connect seen
          // late on a stalled event loop failed the request at ~1 s.
          timeout: this.#timeoutMs,
          headers: payload
            ? { 'content-type': 'application/json', 'content-length': String(payload.byteLength) }
            : {},
        },
        (res) => {
          const chunks: Buffer[] = []
          res.on('data', (chunk: Buffer) => chunks.push(chunk))
          res.on('error', reject)
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          )
        },
      )
      req.setTimeout(this.#timeoutMs, () => req.destroy(new Error(`no answer within ${this.#timeoutMs} ms`)))
      req.on('error', reject)
      req.end(payload)
    })
  }

  /** Closes the idle keep-alive sockets. */
  close(): void {
    this.#agent.destroy()
  }
}

/** The drill's clock: monotonic milliseconds, shared by every worker so that start and ack times compare. */
export function now(): number {
  return performance.now()
}
