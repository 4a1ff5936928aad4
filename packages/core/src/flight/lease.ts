import type { CacheEntry } from '../entry/entry.js'
import { prefixesCovering } from '../keys/key-layout.js'
import { canFence, type LeaseCapableStore, type LoadFence } from '../stores/store.js'
import { type Budget, OUT_OF_BUDGET } from '../tiers/budget.js'
import type { RemoteTier } from '../tiers/remote-tier.js'
import type { KeyWaiters } from './key-waiters.js'

/** The remote side a lease works through (the cache's remote facade). */
export interface LeaseRemote {
  /** The guarded store: every lease call goes through its deadline and breaker. */
  readonly tier: RemoteTier
  /** The store, when it hands out stampede leases and leases are on. */
  readonly leaseStore: LeaseCapableStore | undefined
  /** Reads `key` from L2 (concurrent reads share one call); count the result with {@link count}. */
  read(key: string): Promise<CacheEntry | undefined>
  /** Counts an L2 read as a tier hit or miss; the entry, or `undefined` unless servable at `now`. */
  count(entry: CacheEntry | undefined, now: number): CacheEntry | undefined
  /** Store-level names of `tags`. */
  qualifyTags(tags: readonly string[]): string[]
  /** Counts and emits a remote fault that does not reach the caller. */
  fault(error: unknown, operation: string, key: string | undefined): void
}

/**
 * What the lease functions need, handed in by the cache so that this layer imports nothing
 * above it.
 */
export interface LeaseContext {
  /** The remote side. */
  readonly remote: LeaseRemote
  /** Where a waiter sleeps until the leader's write is announced. */
  readonly waiters: KeyWaiters
  /** The resolved `lease` option; `undefined` when leases are off. */
  readonly lease: { readonly ttl: number; readonly wait: number } | undefined
}

/** What a load holds in the store: the lease (when it leads) and the fence its write is checked against. */
export interface LoadTicket {
  /** The lease token, while this load leads. */
  token: string | undefined
  /** Generations read when the load began (stores that fence loads). */
  fence: LoadFence | undefined
}

/** How the remote side of a load begins: the leader's value arrived, or a ticket to load with. */
export type LoadStart<T> = { value: T } | { ticket: LoadTicket }

const POLL_MIN = 20
const POLL_MAX = 200

/**
 * How long a lease lives without its leader's heartbeat: a leader that is gone (crashed, or its
 * acquisition reply lost in a stall) is replaced after this, not after `lease.ttl`.
 */
export function leaseBeat(ctx: LeaseContext): number {
  return Math.min(ctx.lease!.ttl, Math.max(1000, 4 * ctx.remote.tier.timeout))
}

/**
 * Begins the remote side of a load of `key` (stampede protection across processes). One process
 * takes the lease of a cold key and runs the loader; the others wait for its value, woken by the
 * bus message its write publishes, with a polling fallback. The lease lives {@link leaseBeat} ms
 * and the leader refreshes it ({@link holdLease}) up to `lease.ttl`, so a leader that is gone
 * is replaced quickly. A waiter that has waited `lease.wait` runs the loader itself, and so does
 * everyone while Redis is unreachable or `budget` (the time the operation may spend on Redis) is
 * spent: the lease never blocks an answer the loader could give.
 *
 * With a store that fences loads (`RedisStore`), the same call reads the generations the load's
 * write will be checked against, so an invalidation from any process that runs while the load
 * does wins over it.
 */
export async function beginLoad<T>(
  ctx: LeaseContext,
  key: string,
  tags: readonly string[],
  budget: Budget,
): Promise<LoadStart<T>> {
  const store = ctx.remote.tier.store
  const fenced = canFence(store) ? store : undefined
  const leases = ctx.remote.leaseStore
  const qualified = fenced === undefined ? [] : ctx.remote.qualifyTags(tags)
  const prefixes = fenced === undefined ? [] : prefixesCovering(key)
  const leaseTtl = leases === undefined ? undefined : fenced === undefined ? ctx.lease!.ttl : leaseBeat(ctx)
  const begin =
    fenced !== undefined
      ? () => fenced.beginLoad(key, qualified, prefixes, leaseTtl)
      : leases !== undefined
        ? async () => ({ token: await leases.acquireLease(key, leaseTtl!), fence: undefined })
        : undefined
  let fence: LoadFence | undefined
  if (begin === undefined) return { ticket: { token: undefined, fence } }
  const giveUpAt = Date.now() + (leases === undefined ? 0 : ctx.lease!.wait)
  let poll = POLL_MIN
  for (;;) {
    const begun = await attempt(ctx, key, budget, begin)
    if (begun === undefined) return { ticket: { token: undefined, fence } }
    fence = begun.fence
    if (leases === undefined) return { ticket: begun }
    if (begun.token !== undefined) {
      // The previous leader may have written and released just before we took the lease.
      const written = await readFresh<T>(ctx, key, budget)
      if (written !== undefined) {
        releaseLease(ctx, key, begun.token)
        return { value: written.value }
      }
      return { ticket: begun }
    }
    await ctx.waiters.wait(key, Math.min(poll, Math.max(0, giveUpAt - Date.now())))
    poll = Math.min(poll * 2, POLL_MAX)
    const entry = await readFresh<T>(ctx, key, budget)
    if (entry !== undefined) return { value: entry.value }
    if (Date.now() >= giveUpAt || budget.left <= 0) return { ticket: { token: undefined, fence } }
  }
}

/**
 * One try at the lease (and the fence) within `budget`. A reply that comes too late (past the
 * call's deadline or the budget) still took the lease in Redis: it is released at once, so no
 * lease is left without a leader.
 */
async function attempt(
  ctx: LeaseContext,
  key: string,
  budget: Budget,
  begin: () => Promise<LoadTicket>,
): Promise<LoadTicket | undefined> {
  if (budget.left <= 0) return undefined
  const giveBack = (late: LoadTicket) => {
    if (late.token !== undefined) releaseLease(ctx, key, late.token)
  }
  const call = ctx.remote.tier.call('lease', begin, { late: giveBack })
  try {
    const begun = await budget.wait(call)
    if (begun !== OUT_OF_BUDGET) return begun
    call.then(giveBack, () => {})
  } catch (error) {
    ctx.remote.fault(error, 'lease', key)
  }
  return undefined
}

async function readFresh<T>(
  ctx: LeaseContext,
  key: string,
  budget: Budget,
): Promise<CacheEntry<T> | undefined> {
  const startedAt = Date.now()
  const remote = ctx.remote
  const entry = remote.count(await remote.read(key), Date.now()) as CacheEntry<T> | undefined
  budget.charge(startedAt)
  return entry !== undefined && entry.expiresAt > Date.now() ? entry : undefined
}

/**
 * Keeps a lease alive while its leader loads: refreshed every third of {@link leaseBeat}, up to
 * `lease.ttl` in all (a slower leader is replaced after that, as before). Returns the stop function.
 */
export function holdLease(ctx: LeaseContext, key: string, token: string): () => void {
  const remote = ctx.remote
  const store = remote.leaseStore
  if (store === undefined || !canFence(store)) return () => {}
  const beat = leaseBeat(ctx)
  const until = Date.now() + ctx.lease!.ttl
  const timer = setInterval(() => {
    const left = until - Date.now()
    if (left <= 0) return clearInterval(timer)
    remote.tier
      .call('lease', () => store.refreshLease(key, token, Math.min(beat, left)))
      .catch((error) => {
        remote.fault(error, 'lease', key)
      })
  }, beat / 3)
  timer.unref?.()
  return () => clearInterval(timer)
}

/**
 * Releases a lease we hold, in the background (the caller's answer does not wait for it). It
 * goes past an open breaker: a lease left behind would make every process wait for it.
 */
export function releaseLease(ctx: LeaseContext, key: string, token: string): void {
  const remote = ctx.remote
  remote.tier
    .call('unlease', () => remote.leaseStore!.releaseLease(key, token), { probe: true })
    .catch((error) => {
      remote.fault(error, 'unlease', key)
    })
}
