import type { CacheControl } from './cache-control.js'
import { type CacheStatusForward, type CacheStatusParams, ttlSeconds } from './cache-status.js'
import { DONE, sendOwn } from './decisions.js'
import { headerText } from './headers.js'
import {
  assessOriginResponse,
  freshenedResponse,
  type OriginVerdict,
  retention,
  toOriginEntry,
} from './origin-policy.js'
import { clientNotModified, judge, staleIfError } from './origin-use.js'
import { type ReadContext, serve } from './read-context.js'
import { variantKey } from './request-key.js'
import { isStoredResponse, isVariantIndex } from './stored-response.js'
import type {
  HeaderPair,
  HttpCacheValue,
  HttpDecision,
  Produce,
  Produced,
  StoredResponse,
  VariantIndex,
} from './types.js'

/** What the origin read path needs besides the common read context. */
export interface OriginContext<R = unknown> extends ReadContext<R> {
  /** The request's directives, when the route honours them. */
  readonly requestCc: CacheControl | undefined
  /** The request carries credentials the key ignores: only `public` responses answer it. */
  readonly authorized: boolean
  /** Revalidations in flight in this process, by primary key (request coalescing). */
  readonly flights: Map<string, Promise<unknown>>
  /** Runs the handler for no client (a proxy's upstream fetch): background revalidation. */
  readonly background: Produce | undefined
}

/**
 * GET, HEAD and opted-in POST under `freshness: 'origin'`: the stored response while fresh (or
 * stale where the response and request allow it), otherwise the handler, with the stored
 * validators when there are some, its 304 refreshing the stored entry.
 */
export async function originRead<R>(ctx: OriginContext<R>): Promise<HttpDecision> {
  const requestCc = ctx.requestCc
  const found = await lookup(ctx)
  let stored = found.stored
  if (stored !== undefined && ctx.authorized && !stored.public) stored = undefined
  if (stored !== undefined) {
    const use = judge(stored, requestCc, Date.now())
    if (use === 'fresh') return answer(ctx, stored, 'HIT')
    if (use === 'stale') return answer(ctx, stored, 'STALE')
    if (use === 'swr') {
      const key = found.key
      if (ctx.refreshing.has(key)) return answer(ctx, stored, 'STALE')
      if (ctx.background !== undefined) {
        ctx.refreshing.set(key, stored)
        const done = () => ctx.refreshing.get(key) === stored && ctx.refreshing.delete(key)
        void fetchAndStore(ctx, found, stored, ctx.background).then(done, done)
        return answer(ctx, stored, 'STALE')
      }
    }
  }
  // only-if-cached: nothing stored may answer, and the handler must not run (§5.2.1.7).
  if (requestCc?.onlyIfCached) {
    return {
      kind: 'send',
      status: 504,
      headers: [
        ['x-cache', 'MISS'],
        ['content-length', '0'],
      ],
      body: new Uint8Array(0),
      replace: true,
    }
  }
  // Concurrent identical misses and revalidations wait for one handler run, then read what it stored.
  const coalesce = requestCc === undefined || (!requestCc.noCache && requestCc.maxAge === undefined)
  const running = coalesce ? ctx.flights.get(ctx.primary) : undefined
  if (running !== undefined && !ctx.authorized) {
    await running.catch(() => undefined)
    const after = await lookup(ctx)
    if (after.stored !== undefined && judge(after.stored, requestCc, Date.now()) === 'fresh') {
      return answer(ctx, after.stored, 'HIT')
    }
  }
  const fwd: CacheStatusForward =
    stored !== undefined ? 'stale' : requestCc?.noCache ? 'request' : found.index ? 'vary-miss' : 'uri-miss'
  if (stored !== undefined) ctx.refreshing.set(found.key, stored)
  const outcome = fetchAndStore(ctx, found, stored, ctx.produce, fwd)
  if (coalesce) {
    ctx.flights.set(ctx.primary, outcome)
    const clear = () => ctx.flights.get(ctx.primary) === outcome && ctx.flights.delete(ctx.primary)
    outcome.then(clear, clear)
  }
  try {
    return await decide(ctx, stored, await outcome, fwd)
  } finally {
    if (stored !== undefined && ctx.refreshing.get(found.key) === stored) ctx.refreshing.delete(found.key)
  }
}

/** What a lookup found: the stored response for this request, the key it lives under, the index. */
interface Found {
  stored: StoredResponse | undefined
  key: string
  index: VariantIndex | undefined
}

async function lookup<R>(ctx: ReadContext<R>): Promise<Found> {
  try {
    const value = await ctx.ns.get<HttpCacheValue>(ctx.primary)
    if (isVariantIndex(value)) {
      const key = variantKey(ctx.primary, value.vary, ctx.req.headers)
      const variant = await ctx.ns.get<HttpCacheValue>(key)
      return { stored: isStoredResponse(variant) ? variant : undefined, key, index: value }
    }
    return { stored: isStoredResponse(value) ? value : undefined, key: ctx.primary, index: undefined }
  } catch {
    // A closed cache fails open: the handler answers.
    return { stored: undefined, key: ctx.primary, index: undefined }
  }
}

/** What running the handler gave. */
type Outcome =
  | { kind: 'error'; error: unknown }
  | { kind: 'done' }
  | { kind: 'revalidated'; entry: StoredResponse; status: number }
  | {
      kind: 'response'
      produced: Produced & { kind: 'captured' }
      verdict: OriginVerdict
      entry?: StoredResponse
    }

/**
 * Runs the handler (with the stored validators when revalidating) and stores what it gives: a
 * 304 refreshes the stored response (RFC 9111 §4.3.4); a HEAD response that validates it
 * refreshes its headers and one that does not drops it (§4.3.5); a storable response replaces it.
 */
async function fetchAndStore<R>(
  ctx: OriginContext<R>,
  found: Found,
  stored: StoredResponse | undefined,
  produce: Produce,
  fwd: CacheStatusForward = 'stale',
): Promise<Outcome> {
  const requestTime = Date.now()
  const validators = stored?.origin?.validators
  let produced: Produced
  try {
    produced = await produce({
      capture: true,
      xCache: 'MISS',
      cacheStatus: ctx.status({ fwd }),
      maxBytes: ctx.route.maxEntryBytes,
      hideConditionalHeaders: true,
      validators: ctx.req.method === 'HEAD' || validators === undefined ? undefined : validators,
    })
  } catch (error) {
    return { kind: 'error', error }
  }
  if (produced.kind !== 'captured') return { kind: 'done' }
  const now = Date.now()
  if (produced.status === 304 && stored !== undefined) {
    return {
      kind: 'revalidated',
      entry: await refresh(ctx, found, stored, produced, requestTime, now),
      status: 304,
    }
  }
  if (ctx.req.method === 'HEAD') {
    if (stored !== undefined && produced.status === stored.status) {
      if (sameValidators(stored, produced)) await refresh(ctx, found, stored, produced, requestTime, now)
      else await drop(ctx, found.key)
    }
    return { kind: 'response', produced, verdict: assessOriginResponse(produced, ctx.route, true, now) }
  }
  const verdict = assessOriginResponse(produced, ctx.route, ctx.authorized, now)
  if (!verdict.storable) return { kind: 'response', produced, verdict }
  const entry = toOriginEntry(produced, verdict, requestTime, now)
  await write(ctx, found, entry, verdict.vary, now)
  return { kind: 'response', produced, verdict, entry }
}

async function refresh<R>(
  ctx: OriginContext<R>,
  found: Found,
  stored: StoredResponse,
  update: Produced & { kind: 'captured' },
  requestTime: number,
  now: number,
): Promise<StoredResponse> {
  const merged = freshenedResponse(stored, update)
  const verdict = assessOriginResponse(merged, ctx.route, false, now)
  const entry = toOriginEntry(merged, verdict, requestTime, now)
  if (verdict.storable) await write(ctx, found, entry, verdict.vary, now)
  return entry
}

async function write<R>(
  ctx: OriginContext<R>,
  found: Found,
  entry: StoredResponse,
  vary: string[],
  now: number,
): Promise<void> {
  const options = { ttl: retention(entry, ctx.route.ttl, now), tags: ctx.opts.tags, grace: false as const }
  try {
    if (vary.length === 0) {
      await ctx.ns.set(ctx.primary, entry, options)
      return
    }
    const index: VariantIndex = { kind: 'vary', vary }
    await ctx.ns.set(variantKey(ctx.primary, vary, ctx.req.headers), entry, options)
    if (found.index === undefined || found.index.vary.join() !== vary.join()) {
      await ctx.ns.set(ctx.primary, index, { ...options, ttl: Math.max(options.ttl, ctx.route.ttl) })
    }
  } catch {
    // A store fault never fails the request: the response still goes out.
  }
}

async function drop<R>(ctx: OriginContext<R>, key: string): Promise<void> {
  try {
    await ctx.ns.delete(key)
  } catch {
    // As for writes: the response goes out.
  }
}

function sameValidators(stored: StoredResponse, update: Produced & { kind: 'captured' }): boolean {
  const etag = headerText(update.headers.etag ?? update.headers.ETag)
  const lastModified = headerText(update.headers['last-modified'] ?? update.headers['Last-Modified'])
  const mine = new Map(stored.origin?.validators ?? [])
  if (etag !== undefined || mine.has('if-none-match')) return etag === mine.get('if-none-match')
  if (lastModified !== undefined || mine.has('if-modified-since'))
    return lastModified === mine.get('if-modified-since')
  return true
}

/** The decision for this request from the handler's outcome. */
function decide<R>(
  ctx: OriginContext<R>,
  stored: StoredResponse | undefined,
  outcome: Outcome,
  fwd: CacheStatusForward,
): Promise<HttpDecision> | HttpDecision {
  const now = Date.now()
  switch (outcome.kind) {
    case 'done':
      return DONE
    case 'error':
      if (stored !== undefined && staleIfError(stored)) return answer(ctx, stored, 'STALE', { fwd: 'stale' })
      throw outcome.error
    case 'revalidated':
      return answer(ctx, outcome.entry, 'HIT', { fwd: 'stale', fwdStatus: outcome.status })
    case 'response': {
      const { produced, entry } = outcome
      if (produced.status >= 500 && stored !== undefined && staleIfError(stored)) {
        return answer(ctx, stored, 'STALE', { fwd: 'stale', fwdStatus: produced.status })
      }
      const cacheStatus =
        entry === undefined
          ? ctx.status({ fwd, fwdStatus: produced.status })
          : ctx.status({
              fwd,
              fwdStatus: produced.status,
              ttl: ttlSeconds(entry.expiresAt, now),
              stored: true,
            })
      // A client's own conditional request is answered from the new entry (RFC 9110 §13.2).
      if (entry !== undefined) {
        const conditional = clientNotModified(ctx, entry, now, cacheStatus)
        if (conditional !== undefined) return conditional
      }
      // A HEAD response has no body: its Content-Length is the GET's, as the handler set it.
      if (ctx.req.method === 'HEAD') return headOwn(produced.status, cacheStatus)
      return sendOwn(produced, 'MISS', entry, cacheStatus)
    }
  }
}

/**
 * {@link serve}, plus `If-Modified-Since` from the client (RFC 9110 §13.1.3), which this mode
 * evaluates against the stored `Last-Modified` when the request has no `If-None-Match`.
 */
function answer<R>(
  ctx: OriginContext<R>,
  stored: StoredResponse,
  xCache: 'HIT' | 'STALE',
  forwarded?: CacheStatusParams,
): HttpDecision {
  if (ctx.ifNoneMatch === undefined && ctx.ifModifiedSince !== undefined) {
    const now = Date.now()
    const ttl = ttlSeconds(stored.expiresAt, now)
    const cacheStatus = ctx.status(forwarded === undefined ? { hit: true, ttl } : { ...forwarded, ttl })
    const decision = clientNotModified(ctx, stored, now, cacheStatus)
    if (decision !== undefined) return decision
  }
  return serve(ctx, stored, xCache, forwarded)
}

/** The handler's own HEAD response, headers as it set them, plus `x-cache` and `cache-status`. */
function headOwn(status: number, cacheStatus: string | undefined): HttpDecision {
  const headers: HeaderPair[] = [['x-cache', 'MISS']]
  if (cacheStatus !== undefined) headers.push(['cache-status', cacheStatus])
  return { kind: 'send', status, headers, body: new Uint8Array(0), replace: false }
}
