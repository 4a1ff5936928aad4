import type { CacheStore } from '@cache/core'
import type { StoreWrite } from '@cache/core/plugin'
import { describe, expect, it } from 'vitest'
import {
  describeStoreConformance,
  runStoreConformanceCheck,
  type StoreConformanceFactory,
  storeConformanceChecks,
} from './store-conformance.js'

interface Entry {
  value: Uint8Array
  expiresAt: number
  tags: readonly string[]
}

/**
 * The smallest correct store: a Map with lazy expiry and a tag index. It only exists to show the
 * suite passes on a correct store; the real stores live in `@cache/core`. Methods are overridable
 * so the broken variants below can each break one rule.
 */
class MapStore implements CacheStore {
  readonly name: string = 'map-reference'
  readonly contractVersion = 1 as const
  readonly capabilities = { shared: false, persistent: false }
  protected readonly entries = new Map<string, Entry>()
  protected readonly tagIndex = new Map<string, Set<string>>()

  protected live(key: string): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry && entry.expiresAt <= Date.now()) {
      this.remove(key)
      return undefined
    }
    return entry
  }

  protected remove(key: string): boolean {
    const entry = this.entries.get(key)
    if (!entry) return false
    this.entries.delete(key)
    for (const tag of entry.tags) this.tagIndex.get(tag)?.delete(key)
    return true
  }

  protected store(value: Uint8Array): Uint8Array {
    // A copy of exactly the view's bytes: the caller may reuse its buffer.
    return value.slice()
  }

  protected expiry(ttl: number): number {
    return Date.now() + ttl
  }

  async get(key: string) {
    return this.live(key)?.value
  }

  async getMany(keys: readonly string[]) {
    return keys.map((key) => this.live(key)?.value)
  }

  async set(key: string, value: Uint8Array, ttl: number, tags: readonly string[] = []) {
    this.remove(key)
    this.entries.set(key, { value: this.store(value), expiresAt: this.expiry(ttl), tags: [...tags] })
    for (const tag of tags) {
      let keys = this.tagIndex.get(tag)
      if (!keys) this.tagIndex.set(tag, (keys = new Set()))
      keys.add(key)
    }
  }

  async setMany(writes: readonly StoreWrite[]) {
    for (const write of writes) await this.set(write.key, write.value, write.ttl, write.tags)
  }

  async delete(key: string) {
    return this.live(key) !== undefined && this.remove(key)
  }

  async invalidateTags(tags: readonly string[]) {
    const keys = new Set(tags.flatMap((tag) => [...(this.tagIndex.get(tag) ?? [])]))
    let removed = 0
    for (const key of keys) if (this.live(key) && this.remove(key)) removed++
    return removed
  }

  async clear(prefix: string) {
    let removed = 0
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix) && this.live(key) && this.remove(key)) removed++
    }
    return removed
  }

  async close() {
    this.entries.clear()
    this.tagIndex.clear()
  }
}

const factoryOf =
  (make: () => CacheStore): StoreConformanceFactory =>
  async () => ({ store: make(), prefix: 'conformance:' })

describeStoreConformance(
  'Map reference store',
  factoryOf(() => new MapStore()),
)

/** Each variant breaks one rule; `catches` lists check ids that must fail on it. */
const brokenStores: { name: string; make: () => CacheStore; catches: string[] }[] = [
  {
    name: 'ignores the TTL',
    catches: ['ttl', 'set-many'],
    make: () =>
      new (class extends MapStore {
        protected override expiry() {
          return Number.POSITIVE_INFINITY
        }
      })(),
  },
  {
    name: 'reads the TTL as microseconds',
    catches: ['ttl'],
    make: () =>
      new (class extends MapStore {
        protected override expiry(ttl: number) {
          return Date.now() + ttl / 1000
        }
      })(),
  },
  {
    name: 'round-trips through a UTF-8 string',
    catches: ['all-bytes', 'large'],
    make: () =>
      new (class extends MapStore {
        protected override store(value: Uint8Array) {
          return new TextEncoder().encode(new TextDecoder().decode(value))
        }
      })(),
  },
  {
    name: 'stores the whole backing buffer of a view',
    catches: ['views'],
    make: () =>
      new (class extends MapStore {
        protected override store(value: Uint8Array) {
          return new Uint8Array(value.buffer.slice(0))
        }
      })(),
  },
  {
    name: 'treats an empty value as a miss',
    catches: ['empty'],
    make: () =>
      new (class extends MapStore {
        override async get(key: string) {
          const value = await super.get(key)
          return value?.length ? value : undefined
        }
      })(),
  },
  {
    name: 'answers getMany for distinct keys only',
    catches: ['get-many'],
    make: () =>
      new (class extends MapStore {
        override getMany(keys: readonly string[]) {
          return super.getMany([...new Set(keys)])
        }
      })(),
  },
  {
    name: 'always reports delete as done',
    catches: ['delete'],
    make: () =>
      new (class extends MapStore {
        override async delete(key: string) {
          await super.delete(key)
          return true
        }
      })(),
  },
  {
    name: 'keeps old tags on a re-set',
    catches: ['retag'],
    make: () =>
      new (class extends MapStore {
        override async set(key: string, value: Uint8Array, ttl: number, tags: readonly string[] = []) {
          const old = this.entries.get(key)?.tags ?? []
          await super.set(key, value, ttl, [...new Set([...old, ...tags])])
        }
      })(),
  },
  {
    name: 'counts tag index entries instead of removed keys',
    catches: ['multi-tags'],
    make: () =>
      new (class extends MapStore {
        override async invalidateTags(tags: readonly string[]) {
          const count = tags.reduce((sum, tag) => sum + (this.tagIndex.get(tag)?.size ?? 0), 0)
          await super.invalidateTags(tags)
          return count
        }
      })(),
  },
  {
    name: 'invalidates every tagged key',
    catches: ['tags'],
    make: () =>
      new (class extends MapStore {
        override invalidateTags() {
          return super.invalidateTags([...this.tagIndex.keys()])
        }
      })(),
  },
  {
    name: 'clears everything whatever the prefix',
    catches: ['clear'],
    make: () =>
      new (class extends MapStore {
        override clear() {
          return super.clear('')
        }
      })(),
  },
  {
    name: 'reads the clear prefix as a regular expression',
    catches: ['clear-literal'],
    make: () =>
      new (class extends MapStore {
        override async clear(prefix: string) {
          const pattern = new RegExp(`^${prefix}`)
          let removed = 0
          for (const key of [...this.entries.keys()]) if (pattern.test(key) && this.remove(key)) removed++
          return removed
        }
      })(),
  },
  {
    name: 'throws on a second close',
    catches: ['close'],
    make: () => {
      let closed = false
      return new (class extends MapStore {
        override async close() {
          if (closed) throw new Error('already closed')
          closed = true
        }
      })()
    },
  },
  {
    name: 'declares another contract version',
    catches: ['identity'],
    make: () => Object.assign(new MapStore(), { contractVersion: 2 }) as unknown as CacheStore,
  },
  {
    name: 'interleaves concurrent writes',
    catches: ['same-key-race'],
    make: () =>
      new (class extends MapStore {
        #last: Uint8Array | undefined
        override async set(key: string, value: Uint8Array, ttl: number, tags?: readonly string[]) {
          // Writes the first half now and the second half later, from whichever write came last.
          const previous = this.#last
          this.#last = value
          await new Promise((resolve) => setImmediate(resolve))
          const mixed = value.slice()
          if (previous) mixed.set(previous.subarray(0, Math.min(previous.length, value.length) >> 1))
          await super.set(key, mixed, ttl, tags)
        }
      })(),
  },
]

describe('the conformance suite catches broken stores', () => {
  it('has a unique id per check', () => {
    const ids = storeConformanceChecks.map((check) => check.id)
    expect(new Set(ids).size).toBe(ids.length)
  })

  for (const broken of brokenStores) {
    it(`fails a store that ${broken.name}`, async () => {
      for (const id of broken.catches) {
        const check = storeConformanceChecks.find((candidate) => candidate.id === id)
        expect(check, `check ${id}`).toBeDefined()
        await expect(
          runStoreConformanceCheck(check!, factoryOf(broken.make)),
          `check ${id}`,
        ).rejects.toThrow()
      }
    })
  }

  it('keeps every key and tag under the factory prefix', async () => {
    const seen: string[] = []
    const recording = new (class extends MapStore {
      override async set(key: string, value: Uint8Array, ttl: number, tags: readonly string[] = []) {
        seen.push(key, ...tags)
        await super.set(key, value, ttl, tags)
      }
    })()
    for (const check of storeConformanceChecks) {
      if (check.id === 'ttl' || check.id === 'set-many') continue // the sleeps add nothing here
      await runStoreConformanceCheck(check, async () => ({ store: recording, prefix: 'p:' }))
    }
    expect(seen.length).toBeGreaterThan(100)
    expect(seen.filter((name) => !name.startsWith('p:'))).toEqual([])
  })

  it('runs the fixture cleanup after closing the store, also when a check fails', async () => {
    const events: string[] = []
    const factory: StoreConformanceFactory = async () => {
      const store = new (class extends MapStore {
        override async close() {
          events.push('close')
        }
      })()
      return { store, prefix: 'p:', cleanup: async () => void events.push('cleanup') }
    }
    const failing = { id: 'boom', name: 'boom', run: async () => expect(1).toBe(2) }
    await expect(runStoreConformanceCheck(failing, factory)).rejects.toThrow()
    expect(events).toEqual(['close', 'cleanup'])
  })
})
