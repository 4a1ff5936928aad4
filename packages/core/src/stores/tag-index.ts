/**
 * Tag → keys index for in-process stores. Kept in step with the entries so that
 * `invalidateTags` removes exactly the keys that carry a tag, and evicted keys leave no trace
 * (churn cannot grow the index without bound).
 */
export class TagIndex {
  readonly #byTag = new Map<string, Set<string>>()

  /** Records that `key` carries `tags`. */
  add(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      let keys = this.#byTag.get(tag)
      if (keys === undefined) this.#byTag.set(tag, (keys = new Set()))
      keys.add(key)
    }
  }

  /** Forgets that `key` carries `tags`. */
  remove(key: string, tags: readonly string[]): void {
    for (const tag of tags) {
      const keys = this.#byTag.get(tag)
      if (keys === undefined) continue
      keys.delete(key)
      if (keys.size === 0) this.#byTag.delete(tag)
    }
  }

  /** Keys carrying any of `tags` (a snapshot, safe to delete while iterating). */
  keysFor(tags: readonly string[]): string[] {
    const out = new Set<string>()
    for (const tag of tags) for (const key of this.#byTag.get(tag) ?? []) out.add(key)
    return [...out]
  }

  /** Number of distinct tags indexed. */
  get size(): number {
    return this.#byTag.size
  }

  /** Forgets everything. */
  clear(): void {
    this.#byTag.clear()
  }
}
