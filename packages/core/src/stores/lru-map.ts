/** A node of the recency list; `prev` is more recent, `next` is older. */
export interface LruNode<V> {
  /** Full key. */
  readonly key: string
  /** Key within its space (after the first `:`), the key of the space's index. */
  readonly local: string
  /** The index of the node's space. */
  readonly space: Map<string, LruNode<V>>
  value: V
  size: number
  prev: LruNode<V> | undefined
  next: LruNode<V> | undefined
}

/** Splits a full key at its first `:` into the space (namespace) and the local key. */
function split(key: string): [string, string] {
  const i = key.indexOf(':')
  return i < 0 ? ['', key] : [key.slice(0, i), key.slice(i + 1)]
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
  // Indexed per space (namespace) by local key, so a hot-path lookup uses the caller's own key
  // string (its hash is cached by V8) instead of a freshly concatenated `namespace:key`, which
  // would be hashed anew on every call (about 100 ns of a 200 ns hit).
  readonly #spaces = new Map<string, Map<string, LruNode<V>>>()
  #size = 0
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
    return this.#size
  }

  /**
   * The index of a space (the part of full keys before the first `:`), for callers that look
   * up many keys of one namespace: `space.get(localKey)` then {@link touch}.
   */
  space(name: string): Map<string, LruNode<V>> {
    let space = this.#spaces.get(name)
    if (space === undefined) this.#spaces.set(name, (space = new Map()))
    return space
  }

  /** Marks a node found through {@link space} as most recently used. */
  touch(node: LruNode<V>): void {
    if (node !== this.#head) {
      this.#unlink(node)
      this.#pushFront(node)
    }
  }

  #node(key: string): LruNode<V> | undefined {
    const [space, local] = split(key)
    return this.#spaces.get(space)?.get(local)
  }

  /** Sum of the sizes of the entries held. */
  get bytes(): number {
    return this.#bytes
  }

  /** Value under `key`, marking it most recently used. */
  get(key: string): V | undefined {
    const node = this.#node(key)
    if (node === undefined) return undefined
    this.touch(node)
    return node.value
  }

  /** Value under `key` without touching recency. */
  peek(key: string): V | undefined {
    return this.#node(key)?.value
  }

  /** True when `key` is held. */
  has(key: string): boolean {
    return this.#node(key) !== undefined
  }

  /**
   * Stores `value` with its `size`, evicting least recently used entries to fit. A value larger
   * than `maxBytes` is not stored and removes any previous value under `key`; returns false then.
   */
  set(key: string, value: V, size: number): boolean {
    const [spaceName, local] = split(key)
    return this.setIn(this.space(spaceName), local, key, value, size)
  }

  /**
   * {@link set} for a caller that holds the key's space (from {@link space}) and its local part:
   * the hot write path, with no split of the full key.
   */
  setIn(space: Map<string, LruNode<V>>, local: string, key: string, value: V, size: number): boolean {
    const existing = space.get(local)
    if (size > this.#limits.maxBytes) {
      if (existing !== undefined) this.#remove(existing, true)
      return false
    }
    if (existing !== undefined) {
      // An overwrite reuses the node: the old value leaves (its remove hook runs), the new one is most recent.
      this.#onRemove?.(existing.key, existing.value)
      this.#bytes += size - existing.size
      existing.value = value
      existing.size = size
      this.touch(existing)
    } else {
      const node: LruNode<V> = { key, local, space, value, size, prev: undefined, next: undefined }
      space.set(local, node)
      this.#size++
      this.#pushFront(node)
      this.#bytes += size
    }
    while (
      this.#tail !== undefined &&
      (this.#size > this.#limits.maxEntries || this.#bytes > this.#limits.maxBytes)
    ) {
      this.#remove(this.#tail, true)
    }
    return true
  }

  /** Removes `key`; true when it was held. */
  delete(key: string): boolean {
    const node = this.#node(key)
    if (node === undefined) return false
    this.#remove(node, true)
    return true
  }

  /** Removes every entry (calling the remove hook for each). */
  clear(): void {
    for (let n = this.#head; n !== undefined; n = n.next) this.#onRemove?.(n.key, n.value)
    for (const space of this.#spaces.values()) space.clear()
    this.#head = this.#tail = undefined
    this.#bytes = 0
    this.#size = 0
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
    node.space.delete(node.local)
    this.#size--
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
