import type { HttpCache } from './http-cache.js'
import type { ResolvedRoute } from './route-options.js'
import type { HttpDecision, HttpRequestInfo, Produced, ProduceMode, ResponseHeaders } from './types.js'

/** Test helpers of the HTTP unit tests (not exported by the package). */

/** A GET request for `path`, with overrides. */
export function request(overrides: Partial<HttpRequestInfo> = {}): HttpRequestInfo {
  return {
    method: 'GET',
    path: '/items/1',
    query: '',
    protocol: 'http',
    host: 'example.test',
    headers: {},
    raw: {},
    ...overrides,
  }
}

/** A captured response. */
export function captured(status: number, body: string, headers: ResponseHeaders = {}): Produced {
  return {
    kind: 'captured',
    status,
    headers: { 'content-type': 'text/plain; charset=utf-8', ...headers },
    body: Buffer.from(body),
  }
}

/** What a fake handler answers on its n-th call (1-based); a thrown error rejects `produce`. */
export type Respond = (call: number, mode: ProduceMode) => Produced | Promise<Produced>

/** A fake handler: counts its calls and records the modes it was run in. */
export class FakeHandler {
  calls = 0
  readonly modes: ProduceMode[] = []
  constructor(readonly respond: Respond = (n) => captured(200, `body ${n}`)) {}

  /** A `produce` callback for one request. */
  produce(): (mode: ProduceMode) => Promise<Produced> {
    return async (mode) => {
      this.calls++
      this.modes.push(mode)
      if (!mode.capture) return { kind: 'passthrough' }
      return this.respond(this.calls, mode)
    }
  }
}

/** Runs one request through `http`. */
export function send(
  http: HttpCache,
  route: ResolvedRoute,
  handler: FakeHandler,
  overrides: Partial<HttpRequestInfo> = {},
): Promise<HttpDecision> {
  return http.handle(request(overrides), route, handler.produce())
}

/** A header of a decision (`undefined` for `done` or when absent). */
export function header(decision: HttpDecision, name: string): string | undefined {
  if (decision.kind === 'done') return undefined
  return decision.headers.find(([n]) => n === name)?.[1]
}

/** The decision's body as text (`undefined` unless it is a `send`). */
export function text(decision: HttpDecision): string | undefined {
  return decision.kind === 'send' ? Buffer.from(decision.body).toString() : undefined
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

/** A promise with its resolver, to hold a handler until a test releases it. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}
