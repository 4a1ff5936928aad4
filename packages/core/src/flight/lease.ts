import type { CacheCore } from '../cache-core.js'
import type { CacheEntry } from '../entry/entry.js'

/** How a cross-process load goes: we lead (holding a token), we got the leader's value, or we load alone. */
export type LeaseOutcome<T> = { lead: string } | { value: T } | { alone: true }

const POLL_MIN = 20
const POLL_MAX = 200

/**
 * Cross-process stampede protection (ARCHITECTURE §3). One process takes the lease of a cold key
 * (SET NX PX) and runs the loader; the others wait for its value, woken by the bus message its
 * write publishes, with a polling fallback. A leader that crashes loses the lease after
 * `lease.ttl`, and a waiter takes over. A waiter that has waited `lease.wait` runs the loader
 * itself, and so does everyone while Redis is unreachable: the lease never blocks an answer the
 * loader could give.
 */
export async function leadOrWait<T>(core: CacheCore, key: string): Promise<LeaseOutcome<T>> {
  const store = core.leaseStore!
  const { ttl, wait } = core.options.lease!
  const giveUpAt = Date.now() + wait
  let poll = POLL_MIN
  for (;;) {
    let token: string | undefined
    try {
      token = await core.l2!.call('lease', () => store.acquireLease(key, ttl))
    } catch (error) {
      core.fault(error, 'lease', key, 'remote')
      return { alone: true }
    }
    if (token !== undefined) {
      // The previous leader may have written and released just before we took the lease.
      const written = core.countRemote(await core.readRemote(key), Date.now()) as CacheEntry<T> | undefined
      if (written !== undefined && written.expiresAt > Date.now()) {
        await releaseLease(core, key, token)
        return { value: written.value }
      }
      return { lead: token }
    }
    await core.waitForKey(key, Math.min(poll, Math.max(0, giveUpAt - Date.now())))
    poll = Math.min(poll * 2, POLL_MAX)
    const entry = core.countRemote(await core.readRemote(key), Date.now()) as CacheEntry<T> | undefined
    if (entry !== undefined && entry.expiresAt > Date.now()) return { value: entry.value }
    if (Date.now() >= giveUpAt) return { alone: true }
  }
}

/** Releases a lease we led; a fault only means it expires by itself. */
export async function releaseLease(core: CacheCore, key: string, token: string): Promise<void> {
  try {
    await core.l2!.call('unlease', () => core.leaseStore!.releaseLease(key, token))
  } catch (error) {
    core.fault(error, 'unlease', key, 'remote')
  }
}
