/** One acknowledged write of an item: every instance answered 200 with `version`, the last at `at`. */
interface Ack {
  at: number
  version: number
}

/** How the ledger judges the version a GET answered. */
export type VersionVerdict =
  /** At least the version acknowledged before the GET started, and no more than was ever written. */
  | 'ok'
  /** Lower than a version acknowledged before the GET started: a stale read. */
  | 'stale'
  /** Higher than any write sent so far: no handler can have produced it (a wrong body). */
  | 'impossible'
  /** The item's versions diverged between instances (a write failed): only the upper bound is judged. */
  | 'retired'

/**
 * What the drill knows about each item's versions, to tell a stale read from a legitimate one.
 *
 * The example apps keep item versions in process memory, one counter per instance. The drill
 * keeps those counters equal by sending every write of an item to every instance, one after the
 * other (a replicated write), and never two writes of one item at once. The write is
 * acknowledged when the last instance answered 200: from then on each instance's handler answers
 * at least that version, so a GET sent after the acknowledgement that answers less was served
 * from a cache entry the invalidations should have removed. GETs already in flight at the
 * acknowledgement are not judged against it.
 *
 * When a write fails or answers an unexpected version, the instances' counters can differ and
 * no version of that item can be judged any more: the item is retired (its failure is counted
 * by the caller) and the caller moves on to a fresh item id.
 */
export class VersionLedger {
  readonly #acks = new Map<string, Ack[]>()
  readonly #started = new Map<string, number>()
  readonly #retired = new Set<string>()

  /** Records that a write of `id` is about to be sent; returns the version every instance must answer. */
  writeStarted(id: string): number {
    const version = (this.#started.get(id) ?? 0) + 1
    this.#started.set(id, version)
    return version
  }

  /** Records that every instance acknowledged `version` of `id`, the last one at `at`. */
  acknowledged(id: string, version: number, at: number): void {
    let acks = this.#acks.get(id)
    if (acks === undefined) this.#acks.set(id, (acks = []))
    const last = acks[acks.length - 1]
    if (last !== undefined && (version <= last.version || at < last.at)) {
      throw new Error(`ledger: ack ${version} of ${id} at ${at} is out of order`)
    }
    acks.push({ at, version })
  }

  /** Stops judging `id`: its instances may disagree on its version. */
  retire(id: string): void {
    this.#retired.add(id)
  }

  /** True once {@link retire} was called for `id`. */
  isRetired(id: string): boolean {
    return this.#retired.has(id)
  }

  /** The lowest version a GET of `id` sent at `startedAt` may answer: the last one acknowledged before. */
  floor(id: string, startedAt: number): number {
    const acks = this.#acks.get(id)
    if (acks === undefined) return 0
    // Acks are in time order; GETs mostly look up the recent end.
    for (let i = acks.length - 1; i >= 0; i--) {
      const ack = acks[i]!
      if (ack.at < startedAt) return ack.version
    }
    return 0
  }

  /** The highest version any instance can have produced for `id` so far. */
  ceiling(id: string): number {
    return this.#started.get(id) ?? 0
  }

  /** Judges `version`, answered by a GET of `id` sent at `startedAt` (call it when the answer arrived). */
  judge(id: string, version: number, startedAt: number): VersionVerdict {
    if (version > this.ceiling(id)) return 'impossible'
    if (this.#retired.has(id)) return 'retired'
    return version < this.floor(id, startedAt) ? 'stale' : 'ok'
  }
}
