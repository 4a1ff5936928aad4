/**
 * The store of a `*-floor` variant: the least a URL-keyed response cache does on a miss (look
 * the URL up, keep the bytes under it), bounded like our memory tier's default (10,000 entries,
 * oldest out). No TTL, no canonical key, no single-flight, no envelope: what any caching layer
 * costs a framework before it does anything a cache must.
 */
export class FloorStore<V> {
  readonly #map = new Map<string, V>()

  get(url: string): V | undefined {
    return this.#map.get(url)
  }

  set(url: string, value: V): void {
    if (this.#map.size >= 10_000) this.#map.delete(this.#map.keys().next().value!)
    this.#map.set(url, value)
  }
}
