import type { WriteOptions } from '../write-options.js'
import { type CacheStatusForward, ttlSeconds } from './cache-status.js'
import { DONE, sendOwn, sendShared } from './decisions.js'
import { captureMode, passthrough, type ReadContext, serve } from './read-context.js'
import { variantKey, varyValues } from './request-key.js'
import { assessResponse, type CapturedResponse, type ResponseVerdict } from './response-policy.js'
import { isStoredResponse, isVariantIndex, toStoredResponse } from './stored-response.js'
import type {
  HttpCacheValue,
  HttpDecision,
  Produced,
  StoredResponse,
  VariantIndex,
  XCacheStatus,
} from './types.js'

/**
 * Thrown by a loader whose response must not be stored, so that `getOrSet` stores nothing and
 * hands this to the requests waiting on the flight. They reuse the response only when it is
 * shareable and their `Vary` header values match the leader's; otherwise each runs its own
 * handler, so one user's response never reaches another.
 */
class NotStored extends Error {
  constructor(
    readonly response: CapturedResponse | undefined,
    readonly verdict: ResponseVerdict | undefined,
    readonly varyValues: (string | null)[] | undefined,
    /** The leader's client went away: followers try the cache once more (one of them leads). */
    readonly retry: boolean,
  ) {
    super('response not stored')
  }

  shareableWith<R>(ctx: ReadContext<R>): boolean {
    const verdict = this.verdict
    if (this.response === undefined || verdict === undefined || !verdict.shareable) return false
    if (verdict.vary.length === 0) return true
    const mine = varyValues(verdict.vary, ctx.req.headers)
    return mine.every((value, i) => value === this.varyValues?.[i])
  }
}

/** What this request's own loader did, when it ran. */
interface Own {
  started: boolean
  /** Why the handler ran (`fwd` of `Cache-Status`). */
  fwd?: CacheStatusForward
  produced?: Produced
  verdict?: ResponseVerdict
  stored?: StoredResponse
  error?: unknown
}

type Step = { decision: HttpDecision } | { index: VariantIndex }

/**
 * GET and opted-in POST: the stored response, or this request's handler run once for every
 * concurrent identical request (single-flight, plus the cross-process lease with Redis, both
 * from `cache.getOrSet`). A response with `Vary` is stored as a variant index under the primary
 * key and one entry per variant (RFC 9111 §4.1). `known` is the variant index when the caller
 * already read it (the memory hot path found the index but not this request's variant).
 */
export async function cachedRead<R>(ctx: ReadContext<R>, known?: VariantIndex): Promise<HttpDecision> {
  let index = known
  if (index === undefined) {
    const first = await step(ctx, ctx.primary, undefined, 0)
    if ('decision' in first) return first.decision
    index = first.index
  }
  const second = await step(ctx, variantKey(ctx.primary, index.vary, ctx.req.headers), index, 0)
  return 'decision' in second ? second.decision : runAlone(ctx, 'vary-miss')
}

async function step<R>(
  ctx: ReadContext<R>,
  key: string,
  index: VariantIndex | undefined,
  attempt: number,
): Promise<Step> {
  // Grace: while one request refreshes an expired entry, the others get it as STALE at once.
  const refreshing = ctx.refreshing.get(key)
  if (refreshing !== undefined) return { decision: serve(ctx, refreshing, 'STALE') }

  const own: Own = { started: false }
  let value: unknown
  try {
    value = await ctx.ns.getOrSet<HttpCacheValue>(
      key,
      ({ stale }) => load(ctx, key, index, own, stale),
      ctx.opts,
    )
  } catch (error) {
    if (own.started) return { decision: ownDecision(ctx, own, error) }
    const fwd = index === undefined ? 'uri-miss' : 'vary-miss'
    if (error instanceof NotStored) {
      if (error.shareableWith(ctx)) {
        const response = error.response!
        const status = ctx.status({ fwd, fwdStatus: response.status, collapsed: true })
        return { decision: sendShared(response, error.verdict!, status) }
      }
      if (error.retry && attempt === 0) return step(ctx, key, index, 1)
    }
    // The leader's response is not for us, or the flight failed: run our own handler, uncached.
    return { decision: await runAlone(ctx, fwd) }
  }
  if (own.started) {
    // Our handler failed and getOrSet fell back to the entry in grace: stale-if-error (RFC 5861 §4).
    const failed = own.error !== undefined || own.verdict?.failed === true
    if (own.stored === undefined && failed && isStoredResponse(value)) {
      const produced = own.produced
      const fwdStatus = produced?.kind === 'captured' ? produced.status : undefined
      return { decision: serve(ctx, value, 'STALE', { fwd: 'stale', fwdStatus }) }
    }
    return { decision: ownDecision(ctx, own, undefined) }
  }
  if (isStoredResponse(value)) return { decision: serve(ctx, value, label(value)) }
  if (isVariantIndex(value) && index === undefined) return { index: value }
  return { decision: await runAlone(ctx, 'miss') }
}

function label(stored: StoredResponse): XCacheStatus {
  return stored.expiresAt > Date.now() ? 'HIT' : 'STALE'
}

async function load<R>(
  ctx: ReadContext<R>,
  key: string,
  index: VariantIndex | undefined,
  own: Own,
  stale: HttpCacheValue | undefined,
): Promise<HttpCacheValue> {
  own.started = true
  const refreshing = isStoredResponse(stale) ? stale : undefined
  if (refreshing !== undefined) ctx.refreshing.set(key, refreshing)
  const fwd = refreshing !== undefined ? 'stale' : index === undefined ? 'uri-miss' : 'vary-miss'
  own.fwd = fwd
  try {
    let produced: Produced
    try {
      produced = await ctx.produce(captureMode(ctx.route, ctx.status({ fwd })))
    } catch (error) {
      own.error = error
      throw error
    }
    own.produced = produced
    if (produced.kind !== 'captured')
      throw new NotStored(undefined, undefined, undefined, produced.kind === 'aborted')
    const verdict = assessResponse(produced, ctx.route)
    own.verdict = verdict
    if (verdict.storable) {
      const stored = toStoredResponse(produced, verdict, ctx.route.ttl, Date.now())
      const vary = verdict.vary
      if (index === undefined && vary.length === 0) return (own.stored = stored)
      if (index === undefined) {
        await ctx.ns.set(variantKey(key, vary, ctx.req.headers), stored, writeOptions(ctx))
        own.stored = stored
        return { kind: 'vary', vary }
      }
      if (sameNames(index.vary, vary)) return (own.stored = stored)
      // The response's Vary changed since the index was written: drop the index, store nothing.
      await ctx.ns.delete(ctx.primary)
    }
    const values =
      verdict.shareable && verdict.vary.length > 0 ? varyValues(verdict.vary, ctx.req.headers) : undefined
    throw new NotStored(produced, verdict, values, false)
  } finally {
    if (refreshing !== undefined && ctx.refreshing.get(key) === refreshing) ctx.refreshing.delete(key)
  }
}

function ownDecision<R>(ctx: ReadContext<R>, own: Own, error: unknown): HttpDecision {
  const produced = own.produced
  if (produced === undefined) throw own.error ?? error
  if (produced.kind !== 'captured') return DONE
  return sendOwn(produced, 'MISS', own.stored, ownStatus(ctx, own.fwd ?? 'miss', produced.status, own.stored))
}

/** `Cache-Status` of a response this request's handler produced: why it ran, and whether it was stored. */
function ownStatus<R>(
  ctx: ReadContext<R>,
  fwd: CacheStatusForward,
  fwdStatus: number,
  stored: StoredResponse | undefined,
): string | undefined {
  if (stored === undefined) return ctx.status({ fwd, fwdStatus })
  return ctx.status({ fwd, fwdStatus, ttl: ttlSeconds(stored.expiresAt, stored.storedAt), stored: true })
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i])
}

/** Runs this request's handler outside any flight, writing directly; nothing is stored. */
function runAlone<R>(ctx: ReadContext<R>, fwd: CacheStatusForward): Promise<HttpDecision> {
  return passthrough(ctx.produce, 'MISS', ctx.status({ fwd }))
}

/**
 * A request whose honoured `Cache-Control: no-cache` (or `max-age=0`) asks for a fresh response
 * (RFC 9111 §5.2.1.4): the handler runs and a storable result replaces the entry.
 */
export async function refreshRead<R>(ctx: ReadContext<R>): Promise<HttpDecision> {
  const produced = await ctx.produce(captureMode(ctx.route, ctx.status({ fwd: 'request' })))
  if (produced.kind !== 'captured') return DONE
  const verdict = assessResponse(produced, ctx.route)
  if (!verdict.storable)
    return sendOwn(produced, 'MISS', undefined, ownStatus(ctx, 'request', produced.status, undefined))
  const stored = toStoredResponse(produced, verdict, ctx.route.ttl, Date.now())
  const write = writeOptions(ctx)
  if (verdict.vary.length === 0) {
    await ctx.ns.set(ctx.primary, stored, write)
  } else {
    await ctx.ns.set(variantKey(ctx.primary, verdict.vary, ctx.req.headers), stored, write)
    await ctx.ns.set(ctx.primary, { kind: 'vary', vary: verdict.vary } satisfies VariantIndex, write)
  }
  return sendOwn(produced, 'MISS', stored, ownStatus(ctx, 'request', produced.status, stored))
}

/**
 * Reads without loading: HEAD requests (a HEAD response has no body, so a HEAD miss never
 * stores anything for GET), and requests with credentials the key ignores, which only a
 * `public` / `s-maxage` response may answer (RFC 9111 §3.5). A miss runs the handler directly.
 * `known`: the variant index, when the caller already read it.
 */
export async function lookupOnly<R>(
  ctx: ReadContext<R>,
  publicOnly: boolean,
  miss: XCacheStatus,
  known?: VariantIndex,
): Promise<HttpDecision> {
  let value: unknown = known
  try {
    value ??= await ctx.ns.get<HttpCacheValue>(ctx.primary)
    if (isVariantIndex(value)) value = await ctx.ns.get(variantKey(ctx.primary, value.vary, ctx.req.headers))
  } catch {
    value = undefined // A closed cache fails open: the handler answers.
  }
  if (isStoredResponse(value) && (!publicOnly || value.public)) return serve(ctx, value, 'HIT')
  const fwd = publicOnly ? 'bypass' : known === undefined ? 'uri-miss' : 'vary-miss'
  return passthrough(ctx.produce, miss, ctx.status({ fwd }))
}

/** The route's `set` options: `set` refuses getOrSet's `staleWhileRevalidate` and `timeout`. */
function writeOptions<R>(ctx: ReadContext<R>): WriteOptions {
  const { staleWhileRevalidate: _swr, timeout: _timeout, ...write } = ctx.opts
  return write
}
