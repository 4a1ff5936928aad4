import type { Cache } from '@cache/core'
import { versionTag } from './batch-cache.js'

/** The ledger's own key (in the app's cache, beside the answers). */
const LEDGER_KEY = 'ledger:model-versions'
/** The ledger outlives any answer: ten years. */
const LEDGER_TTL = 10 * 365 * 24 * 3600 * 1000

/** A model as the ledger sees it. */
export interface VersionedModel {
  id: string
  version: string
}

/**
 * Which versions of each model have cached answers, kept in the cache itself (so on Redis every
 * replica sees the versions the others served). Answers are tagged with their version
 * (`versionTag`), so the entries of the versions no longer served can be dropped by tag, rather
 * than lingering until their TTL.
 */
export class VersionLedger {
  readonly #cache: Cache

  constructor(cache: Cache) {
    this.#cache = cache
  }

  /** Records that `models` are served now. */
  async note(models: readonly VersionedModel[]): Promise<void> {
    const seen = await this.#read()
    for (const m of models) seen[m.id] = [...new Set([...(seen[m.id] ?? []), m.version])]
    await this.#cache.set(LEDGER_KEY, seen, { ttl: LEDGER_TTL })
  }

  /**
   * Drops the cached answers of every version of `models` other than the one served, and
   * records the served ones. Returns the versions dropped, by model id.
   */
  async dropOlder(models: readonly VersionedModel[]): Promise<Record<string, string[]>> {
    const seen = await this.#read()
    const dropped: Record<string, string[]> = {}
    const tags: string[] = []
    for (const m of models) {
      const old = (seen[m.id] ?? []).filter((v) => v !== m.version)
      dropped[m.id] = old
      tags.push(...old.map((version) => versionTag({ id: m.id, version })))
      seen[m.id] = [m.version]
    }
    if (tags.length > 0) await this.#cache.invalidateTags(tags)
    await this.#cache.set(LEDGER_KEY, seen, { ttl: LEDGER_TTL })
    return dropped
  }

  async #read(): Promise<Record<string, string[]>> {
    return (await this.#cache.get<Record<string, string[]>>(LEDGER_KEY)) ?? {}
  }
}
