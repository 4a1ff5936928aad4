import type { CacheCore } from './cache-core.js'
import { describeError } from './describe-error.js'
import { canConnect } from './stores/store.js'
import type { BreakerState } from './tiers/circuit-breaker.js'

/** The remote tier (L2) in {@link CacheHealth}. */
export interface RemoteHealth {
  /** True when L2 is in use: connected (for a store that reports it), its bus subscribed, its breaker not open. */
  ok: boolean
  /** Store name (`'redis'`, `'keyv'`...). */
  store: string
  /** Where the store connects, without a password; for a store that reports its connection. */
  address?: string
  /** True while connected; for a store that reports its connection. */
  connected?: boolean
  /** Circuit breaker state: `open` means L2 is skipped until the next probe. */
  breaker: BreakerState
  /** The invalidation bus, when there is one: `connected` once subscribed. */
  bus?: { connected: boolean }
  /**
   * Invalidations waiting to be replayed to the store (see `remote.outboxSize`), when there are
   * any: until they land this process refuses the L2 values they name.
   */
  pendingInvalidations?: number
  /** Why the store is not connected (`connect ECONNREFUSED 127.0.0.1:6379`), while it is not. */
  lastError?: string
}

/** What `cache.health()` reports: what a readiness probe or a status page needs, as plain JSON. */
export interface CacheHealth {
  /** True when every tier works as configured. False while L2 is unavailable (the cache still serves, from memory and loaders) or once closed. */
  ok: boolean
  /** True once `close()` was called. */
  closed: boolean
  /** Per tier. */
  tiers: {
    /** L1, when enabled: always ok. */
    memory?: { ok: true; entries: number; bytes: number }
    /** L2, when a store is set. */
    remote?: RemoteHealth
  }
}

/** Builds {@link CacheHealth} from state the cache already holds: no I/O, no allocation beyond the answer. */
export function cacheHealth(core: CacheCore): CacheHealth {
  const tiers: CacheHealth['tiers'] = {}
  const usage = core.local.usage
  if (usage !== undefined) tiers.memory = { ok: true, ...usage }
  const l2 = core.remote
  if (l2 !== undefined) {
    const store = l2.tier.store
    const remote: RemoteHealth = { ok: true, store: store.name, breaker: l2.tier.breakerState }
    if (canConnect(store)) {
      remote.address = store.address
      remote.connected = store.connected
      const error = store.connectionError
      if (error !== undefined) remote.lastError = describeError(error)
    }
    if (l2.bus !== undefined) remote.bus = { connected: l2.bus.connected }
    const pending = l2.pendingInvalidations
    if (pending > 0) remote.pendingInvalidations = pending
    remote.ok =
      remote.connected !== false &&
      remote.bus?.connected !== false &&
      remote.breaker !== 'open' &&
      pending === 0
    tiers.remote = remote
  }
  return { ok: !core.closed && (tiers.remote?.ok ?? true), closed: core.closed, tiers }
}
