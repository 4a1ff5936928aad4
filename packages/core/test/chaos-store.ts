import type { CacheStore, StoreWrite } from '../src/stores/store.js'

/** How the wrapped store misbehaves. */
export type ChaosMode = 'ok' | 'fail' | 'hang' | 'corrupt'

/**
 * Fault injection as a wrapper (not a mock): every call reaches the real inner store unless the
 * current mode says to fail, hang (never settle) or corrupt what is read.
 */
export class ChaosStore implements CacheStore {
  readonly name = 'chaos'
  readonly contractVersion = 1 as const
  readonly capabilities
  mode: ChaosMode = 'ok'
  calls = 0
  /** When set, every call waits for it before reaching the inner store. */
  gate: Promise<void> | undefined
  /** When set, every call waits for it after the inner store answered (a slow reply). */
  holdReplies: Promise<void> | undefined
  readonly #inner: CacheStore

  constructor(inner: CacheStore) {
    this.#inner = inner
    this.capabilities = inner.capabilities
  }

  async #run<T>(fn: () => Promise<T>): Promise<T> {
    this.calls++
    if (this.mode === 'fail') throw new Error('chaos: connection refused')
    if (this.mode === 'hang') return new Promise<T>(() => {})
    if (this.gate) await this.gate
    const hold = this.holdReplies
    const result = await fn()
    if (hold) await hold
    return result
  }

  #corrupt(bytes: Uint8Array | undefined): Uint8Array | undefined {
    if (bytes === undefined || this.mode !== 'corrupt') return bytes
    return Uint8Array.from(bytes, (b, i) => (i % 3 === 0 ? b ^ 0xff : b))
  }

  get(key: string) {
    return this.#run(async () => this.#corrupt(await this.#inner.get(key)))
  }
  getMany(keys: readonly string[]) {
    return this.#run(async () => (await this.#inner.getMany(keys)).map((b) => this.#corrupt(b)))
  }
  set(key: string, value: Uint8Array, ttl: number, tags?: readonly string[]) {
    return this.#run(() => this.#inner.set(key, value, ttl, tags))
  }
  setMany(writes: readonly StoreWrite[]) {
    return this.#run(() => this.#inner.setMany(writes))
  }
  delete(key: string) {
    return this.#run(() => this.#inner.delete(key))
  }
  invalidateTags(tags: readonly string[]) {
    return this.#run(() => this.#inner.invalidateTags(tags))
  }
  clear(prefix: string) {
    return this.#run(() => this.#inner.clear(prefix))
  }
  close() {
    return this.#inner.close()
  }
}
