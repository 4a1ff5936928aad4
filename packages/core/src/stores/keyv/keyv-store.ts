import { CacheError, errors } from '../../errors.js'
import { assertKnownOptions, optionKeys } from '../../known-options.js'
import { assertPeer } from '../../require-peer.js'
import { type CacheStore, STORE_CONTRACT_VERSION, type StoreCapabilities, type StoreWrite } from '../store.js'
import type { KeyvInstance } from './keyv-instance.js'

/** Options of {@link KeyvStore}. */
export interface KeyvStoreOptions {
  /**
   * The backend is shared by several processes (a Keyv over Redis, Postgres...). Shared stores
   * get the cross-process features of the core where the backend allows them.
   * @default false
   */
  shared?: boolean
  /**
   * The backend survives a restart (SQLite, Postgres, a file...).
   * @default false
   */
  persistent?: boolean
}

// keyv is an optional peer. The store only wraps Keyv instances the application made, so it is
// not loaded here; but a missing keyv is a broken install, reported when the entry point loads.
assertPeer('keyv', '@cache/core/keyv')

const KEYV_STORE_OPTIONS = optionKeys<KeyvStoreOptions>({ shared: true, persistent: true })

const TAG_PREFIX = '__tag:'
const ENTRY_TAGS_PREFIX = '__kt:'

/**
 * Wraps any Keyv instance as a store (`@cache/core/keyv`). Values are stored as base64 text, so
 * bytes survive every Keyv serializer and backend unchanged.
 *
 * Errors are surfaced, not turned into silent misses: the store turns on Keyv's
 * `throwOnErrors`, so a failing backend rejects and the cache counts and emits the fault.
 *
 * Tags are kept as one index entry per tag (`__tag:<tag>` → keys), updated by read-modify-write:
 * exact within one process; concurrent writers in several processes may race on the index.
 */
export class KeyvStore implements CacheStore {
  /** @inheritdoc */
  readonly name = 'keyv'
  /** @inheritdoc */
  readonly contractVersion = STORE_CONTRACT_VERSION
  /** @inheritdoc */
  readonly capabilities: StoreCapabilities
  /** The wrapped Keyv instance. */
  readonly keyv: KeyvInstance
  // Serialises tag-index updates within this process (read-modify-write must not interleave).
  #tagQueue: Promise<unknown> = Promise.resolve()
  #closed = false

  /**
   * @param keyv - a Keyv instance (`new Keyv()`, `new Keyv({ store: new KeyvSqlite(uri) })`).
   * @throws {CacheError} `ERR_CACHE_INVALID_OPTION` when `keyv` is not a Keyv instance (a
   *   storage adapter or an options object goes inside `new Keyv(...)`), or on an unknown option.
   */
  constructor(keyv: KeyvInstance, options: KeyvStoreOptions = {}) {
    assertKeyv(keyv)
    assertKnownOptions(options, KEYV_STORE_OPTIONS, 'KeyvStore options')
    this.keyv = keyv
    keyv.throwOnErrors = true
    this.capabilities = { shared: options.shared ?? false, persistent: options.persistent ?? false }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    return decode((await this.keyv.get(key)) as string | undefined)
  }

  async getMany(keys: readonly string[]): Promise<(Uint8Array | undefined)[]> {
    if (keys.length === 0) return []
    const values = (await this.keyv.getMany([...keys])) as (string | undefined)[]
    return values.map(decode)
  }

  async set(key: string, value: Uint8Array, ttl: number, tags: readonly string[] = []): Promise<void> {
    // The entry's own tag list says which tags it carries now: a re-set without a tag is spared
    // by that tag's invalidation even though the tag index still lists the key.
    if (tags.length > 0) {
      await this.#indexTags(key, tags, ttl)
      await this.keyv.set(ENTRY_TAGS_PREFIX + key, [...tags], keyvTtl(ttl))
    } else {
      await this.keyv.delete(ENTRY_TAGS_PREFIX + key)
    }
    const ok = await this.keyv.set(key, encode(value), keyvTtl(ttl))
    if (ok === false) throw new Error(`keyv: set of ${key} failed`)
  }

  async setMany(writes: readonly StoreWrite[]): Promise<void> {
    for (const w of writes) await this.set(w.key, w.value, w.ttl, w.tags ?? [])
  }

  async delete(key: string): Promise<boolean> {
    return this.keyv.delete(key)
  }

  async invalidateTags(tags: readonly string[]): Promise<number> {
    return this.#serial(async () => {
      const doomed = new Set<string>()
      for (const tag of tags) {
        for (const key of ((await this.keyv.get(TAG_PREFIX + tag)) as string[] | undefined) ?? []) {
          const current = ((await this.keyv.get(ENTRY_TAGS_PREFIX + key)) as string[] | undefined) ?? []
          if (current.includes(tag)) doomed.add(key)
        }
        await this.keyv.delete(TAG_PREFIX + tag)
      }
      let removed = 0
      for (const key of doomed) {
        // Count only entries that still existed (an expired or deleted one is not removed now).
        if ((await this.keyv.get(key)) !== undefined && (await this.keyv.delete(key))) removed++
        await this.keyv.delete(ENTRY_TAGS_PREFIX + key)
      }
      return removed
    })
  }

  async clear(prefix: string): Promise<number> {
    const iterator = this.keyv.iterator
    if (typeof iterator !== 'function') {
      throw new Error('keyv: this backend has no iterator, so a namespace clear is not possible')
    }
    const doomed: string[] = []
    for await (const [key] of iterator.call(this.keyv, this.keyv.namespace) as AsyncIterable<
      [string, unknown]
    >) {
      if (typeof key === 'string' && key.startsWith(prefix)) doomed.push(key)
    }
    let removed = 0
    for (const key of doomed) if (await this.keyv.delete(key)) removed++
    return removed
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.keyv.disconnect?.()
  }

  #indexTags(key: string, tags: readonly string[], ttl: number): Promise<void> {
    return this.#serial(async () => {
      for (const tag of tags) {
        const indexKey = TAG_PREFIX + tag
        const keys = new Set(((await this.keyv.get(indexKey)) as string[] | undefined) ?? [])
        keys.add(key)
        // The index lives as long as its longest-lived member could (bounded for finite TTLs).
        await this.keyv.set(indexKey, [...keys], Number.isFinite(ttl) ? Math.ceil(ttl) + 60_000 : undefined)
      }
    })
  }

  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tagQueue.then(fn, fn)
    this.#tagQueue = run.catch(() => {})
    return run
  }
}

/**
 * Keyv by shape, not `instanceof`: the application's copy of keyv (ESM or CJS, any install
 * location) is not ours. A Keyv has the methods the store calls plus its `hooks`; a storage
 * adapter (`new KeyvSqlite(...)`, a `Map`) or an options object has not.
 */
function assertKeyv(keyv: unknown): asserts keyv is KeyvInstance {
  const k = keyv as Partial<Record<'get' | 'set' | 'delete' | 'getMany' | 'hooks', unknown>> | null
  if (
    typeof k === 'object' &&
    k !== null &&
    typeof k.get === 'function' &&
    typeof k.set === 'function' &&
    typeof k.delete === 'function' &&
    typeof k.getMany === 'function' &&
    typeof k.hooks === 'object' &&
    k.hooks !== null
  )
    return
  throw new CacheError(
    errors.ERR_CACHE_INVALID_OPTION,
    'KeyvStore needs a Keyv instance: new KeyvStore(new Keyv()) or, for a storage adapter, ' +
      'new KeyvStore(new Keyv({ store: new KeyvSqlite(uri) }))',
  )
}

function keyvTtl(ttl: number): number | undefined {
  return Number.isFinite(ttl) ? Math.max(1, Math.ceil(ttl)) : undefined
}

function encode(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

function decode(text: string | undefined | null): Uint8Array | undefined {
  if (text === undefined || text === null) return undefined
  if (typeof text !== 'string') throw new Error('keyv: stored value is not a cache entry')
  return Buffer.from(text, 'base64')
}
