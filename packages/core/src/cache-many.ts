import type { CacheCore } from './cache-core.js'
import type { EncodedWrite } from './remote-cache.js'

/**
 * `getMany`: L1 per key, then one L2 call for every key L1 could not answer. Counts one lookup
 * per key, like `get`.
 */
export async function readMany<T>(core: CacheCore, fulls: readonly string[]): Promise<(T | undefined)[]> {
  const now = Date.now()
  const out: (T | undefined)[] = new Array(fulls.length).fill(undefined)
  const missing: string[] = []
  const slots: number[] = []
  for (let i = 0; i < fulls.length; i++) {
    const entry = core.local.readKey(fulls[i]!, now)
    if (entry !== undefined) out[i] = entry.value as T
    else {
      missing.push(fulls[i]!)
      slots.push(i)
    }
  }
  const remote = core.remote
  let found: (Uint8Array | undefined)[] | undefined
  if (missing.length > 0 && remote !== undefined) {
    const epoch = core.flights.epoch
    try {
      found = await remote.tier.call('getMany', (s) => s.getMany(missing))
    } catch (error) {
      remote.fault(error, 'getMany', undefined)
    }
    if (found !== undefined) {
      const later = Date.now()
      for (let j = 0; j < missing.length; j++) {
        const entry = remote.accept(missing[j]!, found[j], later, epoch)
        if (entry === undefined || entry.expiresAt <= later) continue
        core.recorder.hit(missing[j]!, 'remote')
        out[slots[j]!] = entry.value as T
        slots[j] = -1
      }
    }
  }
  for (let j = 0; j < missing.length; j++) if (slots[j] !== -1) core.recorder.miss(missing[j]!)
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
