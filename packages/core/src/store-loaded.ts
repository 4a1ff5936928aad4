import type { CacheEntry } from './entry/entry.js'
import { type LeaseContext, type LoadTicket, releaseLease } from './flight/lease.js'
import type { Flight } from './flight/single-flight.js'
import type { LocalCache } from './local-cache.js'
import type { RemoteCache } from './remote-cache.js'
import { canFence, type FencedLoadStore } from './stores/store.js'
import { type Budget, OUT_OF_BUDGET } from './tiers/budget.js'

/** What {@link storeLoaded} writes through. */
export interface LoadedWrite {
  /** L1. */
  readonly local: LocalCache
  /** L2. */
  readonly remote: RemoteCache
  /** For giving back a lease that a failed write could not release. */
  readonly lease: LeaseContext
  /** True once the cache is closed: nothing is kept in L1 then. */
  readonly isClosed: () => boolean
}

/**
 * Stores a loaded value in both tiers, waiting for L2 at most what is left of the request's
 * `budget` (the write goes on in the background past it).
 *
 * With a store that fences loads (`RedisStore`), the L2 write is conditional on the generations
 * read when the load began, and releases the lease in the same script: a `delete`, `set`,
 * `invalidateTags` or `clear` that ran meanwhile in any process wins, and the value then answers
 * the load's own callers only (not even L1 keeps it). A load that began without a fence (Redis
 * was unreachable) is kept in L1 only: nothing could tell whether an invalidation overtook it.
 * The first `stamps` tags of the entry may be kept as stamps rather than tag sets.
 */
export async function storeLoaded(
  parts: LoadedWrite,
  key: string,
  entry: CacheEntry,
  bytes: Uint8Array,
  flight: Flight,
  ticket: LoadTicket,
  budget: Budget,
  stamps = 0,
): Promise<void> {
  const { local, remote } = parts
  if (!canFence(remote.tier.store)) {
    local.write(key, entry, bytes.byteLength)
    await budget.wait(remote.write(key, entry, bytes, false))
    return
  }
  const fence = ticket.fence
  const ttl = entry.staleUntil - Date.now()
  if (fence === undefined || ttl <= 0) {
    local.write(key, entry, bytes.byteLength)
    return
  }
  const token = ticket.token
  ticket.token = undefined
  const tags = remote.qualifyTags(entry.tags)
  const stamped = stamps === 0 ? undefined : tags.slice(0, stamps)
  const write = remote.tier
    .call('set', (s) => (s as FencedLoadStore).setFenced(key, bytes, ttl, tags, fence, token, stamped))
    .then(
      async (outcome) => {
        // Drops the other processes' older copies and wakes their lease waiters.
        if (outcome === 'stored') await remote.publish({ kind: 'keys', keys: [key] })
        return outcome
      },
      (error) => {
        remote.fault(error, 'set', key)
        if (token !== undefined) releaseLease(parts.lease, key, token)
        return undefined
      },
    )
  const outcome = await budget.wait(write)
  if (outcome === 'invalidated' || flight.invalidated || parts.isClosed()) return
  local.write(key, entry, bytes.byteLength)
  if (outcome === OUT_OF_BUDGET) {
    void write.then((late) => {
      if (late === 'invalidated') local.deleteIf(key, entry.value)
    })
  }
}
