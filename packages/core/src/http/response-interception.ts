import { ServerResponse } from 'node:http'

type Writer = (this: ServerResponse, ...args: unknown[]) => unknown

/** The methods an interception takes over. */
const INTERCEPTED = ['writeHead', 'write', 'end', 'flushHeaders', 'addTrailers'] as const
type InterceptedName = (typeof INTERCEPTED)[number]
/** The response's methods as they were before an interception: where its pass-throughs go. */
export type ResponseMethods = Record<InterceptedName, Writer>

/** The interception of each response, found by the intercepting methods. */
const active = new WeakMap<ServerResponse, Interception>()
/** Framework response prototypes that dispatch to {@link active}, with the methods they inherited. */
const patched = new WeakMap<object, ResponseMethods>()

/**
 * Takes over a response's writing methods until {@link finish}: the base of a hold (capture or
 * discard what the app writes) and of an `end()` replacement.
 *
 * Express (and Nest on Express) give each response its framework's prototype
 * (`Object.setPrototypeOf(res, app.response)`); adding own properties to such an object costs V8
 * a new hidden class each time (about 6 KB and tens of µs per response, measured). So on such a
 * prototype the intercepting methods are installed once, and dispatch through a WeakMap to the
 * response's interception, or to the inherited method when there is none. A response that
 * carries own overrides of these methods (a compression middleware's), one on Node's own
 * prototype, or one already intercepted gets per-response overrides instead, chaining to what
 * it had.
 */
export abstract class Interception {
  readonly original: ResponseMethods
  readonly #own: boolean
  readonly #previous: Interception | undefined
  #finished = false

  constructor(readonly raw: ServerResponse) {
    const previous = active.get(raw)
    const proto = Object.getPrototypeOf(raw) as object
    const shared =
      previous === undefined &&
      proto !== ServerResponse.prototype &&
      !INTERCEPTED.some((name) => Object.hasOwn(raw, name))
    this.original = shared ? dispatcherOf(proto) : ownOverrides(raw)
    this.#own = !shared
    this.#previous = previous
    active.set(raw, this)
  }

  /** True once {@link finish} ran. */
  get finished(): boolean {
    return this.#finished
  }

  /** Gives the methods back (to the interception this one is inside of, if any). False if already done. */
  finish(): boolean {
    if (this.#finished) return false
    this.#finished = true
    const raw = this.raw
    if (this.#own) Object.assign(raw, this.original)
    if (this.#previous !== undefined && !this.#previous.finished) active.set(raw, this.#previous)
    else active.delete(raw)
    return true
  }

  abstract writeHead(raw: ServerResponse, args: unknown[]): unknown
  abstract write(raw: ServerResponse, args: unknown[]): unknown
  abstract end(raw: ServerResponse, args: unknown[]): unknown
  abstract flushHeaders(raw: ServerResponse, args: unknown[]): unknown
  abstract addTrailers(raw: ServerResponse, args: unknown[]): unknown
}

/** The interception of `raw`, if any. */
export function interceptionOf(raw: ServerResponse): Interception | undefined {
  return active.get(raw)
}

/** Installs the dispatching methods on `proto` once; returns the methods it inherited. */
function dispatcherOf(proto: object): ResponseMethods {
  let inherited = patched.get(proto)
  if (inherited !== undefined) return inherited
  const target = proto as ResponseMethods
  inherited = {} as ResponseMethods
  for (const name of INTERCEPTED) {
    const next = target[name]
    inherited[name] = next
    target[name] = function intercepted(this: ServerResponse, ...args: unknown[]) {
      const interception = active.get(this)
      return interception === undefined ? next.apply(this, args) : interception[name](this, args)
    }
  }
  patched.set(proto, inherited)
  return inherited
}

/** Overrides the methods on `raw` itself; returns what it had (its own or its prototype's). */
function ownOverrides(raw: ServerResponse): ResponseMethods {
  const target = raw as unknown as ResponseMethods
  const original = {} as ResponseMethods
  for (const name of INTERCEPTED) {
    original[name] = target[name]
    target[name] = function intercepted(this: ServerResponse, ...args: unknown[]) {
      const interception = active.get(this)
      return interception === undefined ? original[name].apply(this, args) : interception[name](this, args)
    }
  }
  return original
}
