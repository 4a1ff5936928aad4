import type { CacheCore } from './cache-core.js'
import type { EncodedWrite } from './remote-cache.js'

/**
 * `getMany`: L1 per key, then one L2 call for every key L1 could not answer. Counts one lookup
 * per key, like `get`.
 */
export async function readMany<T>(core: CacheCore, fulls: readonly string[]): Promise<(T | undefined)[]> {
  const now = Date.now()
  const out: (T | undefined)[] = new Array(fulls.length).fill(undefined)
  let missing: number[] = []
  fulls.forEach((full, i) => {
    const entry = core.local.readKey(full, now)
    if (entry !== undefined) out[i] = entry.value as T
    else missing.push(i)
  })
  const remote = core.remote
  if (missing.length > 0 && remote !== undefined) {
    let found: (Uint8Array | undefined)[] | undefined
    const epoch = core.flights.epoch
    try {
      found = await remote.tier.call('getMany', (s) => s.getMany(missing.map((i) => fulls[i]!)))
    } catch (error) {
      remote.fault(error, 'getMany', undefined)
    }
    if (found !== undefined) {
      const later = Date.now()
      missing = missing.filter((i, j) => {
        const entry = remote.accept(fulls[i]!, found[j], later, epoch)
        if (entry === undefined || entry.expiresAt <= later) return true
        core.recorder.hit(fulls[i]!, 'remote')
        out[i] = entry.value as T
        return false
      })
    }
  }
  for (const i of missing) core.recorder.miss(fulls[i]!)
  return out
}

/** `setMany`: L1 and counters per entry, one L2 call for all, one bus message for all. */
export async function writeMany(core: CacheCore, prepared: readonly EncodedWrite[]): Promise<void> {
  for (const p of prepared) {
    // An overwriting set wins over loads of the key already running.
    core.flights.invalidateKey(p.key)
    core.local.write(p.key, p.entry, p.bytes.byteLength)
  }
  if (prepared.length > 0) await core.remote?.writeMany(prepared)
}
