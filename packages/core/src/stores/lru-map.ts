/** A node of the recency list; `prev` is more recent, `next` is older. */
interface LruNode<V> {
  key: string
  value: V
  size: number
  prev: LruNode<V> | undefined
  next: LruNode<V> | undefined
}

/** Limits of an {@link LruMap}. */
export interface LruLimits {
  /** Most entries held; the least recently used go first. */
  maxEntries: number
  /** Most bytes held (sizes as given to `set`); the least recently used go first. */
  maxBytes: number
}

/**
 * A least-recently-used map bounded by entry count and by byte size. Expiry is the caller's
 * business (checked lazily on read): there is no timer per key, so TTLs of a year or
 * `Infinity` never reach `setTimeout` and never raise `TimeoutOverflowWarning`.
 */
export class LruMap<V> {
  readonly #map = new Map<string, LruNode<V>>()
  #head: LruNode<V> | undefined
  #tail: LruNode<V> | undefined
  #bytes = 0
  readonly #limits: LruLimits
  readonly #onRemove: ((key: string, value: V) => void) | undefined

  constructor(limits: LruLimits, onRemove?: (key: string, value: V) => void) {
    this.#limits = limits
    this.#onRemove = onRemove
  }

  /** Number of entries held. */
  get size(): number {
    return this.#map.size
  }

  /** Sum of the sizes of the entries held. */
  get bytes(): number {
    return this.#bytes
  }

  /** Value under `key`, marking it most recently used. */
  get(key: string): V | undefined {
    const node = this.#map.get(key)
    if (node === undefined) return undefined
    if (node !== this.#head) {
      this.#unlink(node)
      this.#pushFront(node)
    }
    return node.value
  }

  /** Value under `key` without touching recency. */
  peek(key: string): V | undefined {
    return this.#map.get(key)?.value
  }

  /** True when `key` is held. */
  has(key: string): boolean {
    return this.#map.has(key)
  }

  /**
   * Stores `value` with its `size`, evicting least recently used entries to fit. A value larger
   * than `maxBytes` is not stored and removes any previous value under `key`; returns false then.
   */
  set(key: string, value: V, size: number): boolean {
    const existing = this.#map.get(key)
    if (existing !== undefined) this.#remove(existing, true)
    if (size > this.#limits.maxBytes) return false
    const node: LruNode<V> = { key, value, size, prev: undefined, next: undefined }
    this.#map.set(key, node)
    this.#pushFront(node)
    this.#bytes += size
    while (
      this.#tail !== undefined &&
      (this.#map.size > this.#limits.maxEntries || this.#bytes > this.#limits.maxBytes)
    ) {
      this.#remove(this.#tail, true)
    }
    return true
  }

  /** Removes `key`; true when it was held. */
  delete(key: string): boolean {
    const node = this.#map.get(key)
    if (node === undefined) return false
    this.#remove(node, true)
    return true
  }

  /** Removes every entry (calling the remove hook for each). */
  clear(): void {
    for (const node of this.#map.values()) this.#onRemove?.(node.key, node.value)
    this.#map.clear()
    this.#head = this.#tail = undefined
    this.#bytes = 0
  }

  /** Keys from most to least recently used. */
  *keys(): IterableIterator<string> {
    for (let n = this.#head; n !== undefined; n = n.next) yield n.key
  }

  /** Entries from most to least recently used, with their sizes. */
  *entries(): IterableIterator<[string, V, number]> {
    for (let n = this.#head; n !== undefined; n = n.next) yield [n.key, n.value, n.size]
  }

  #remove(node: LruNode<V>, notify: boolean): void {
    this.#unlink(node)
    this.#map.delete(node.key)
    this.#bytes -= node.size
    if (notify) this.#onRemove?.(node.key, node.value)
  }

  #unlink(node: LruNode<V>): void {
    if (node.prev !== undefined) node.prev.next = node.next
    else this.#head = node.next
    if (node.next !== undefined) node.next.prev = node.prev
    else this.#tail = node.prev
    node.prev = node.next = undefined
  }

  #pushFront(node: LruNode<V>): void {
    node.next = this.#head
    if (this.#head !== undefined) this.#head.prev = node
    this.#head = node
    if (this.#tail === undefined) this.#tail = node
  }
}
