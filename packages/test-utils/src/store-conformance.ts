import { randomBytes } from 'node:crypto'
import { setTimeout as sleep } from 'node:timers/promises'
import type { CacheStore } from '@cache/core'
import { describe, expect, it } from 'vitest'

/** What a {@link StoreConformanceFactory} hands the suite for one check. */
export interface StoreConformanceFixture {
  /** A fresh, open store. The suite closes it after the check. */
  store: CacheStore
  /**
   * Key prefix the check must stay under (e.g. `useRedis().prefix`), so that several test files
   * can share one Redis. Every key and tag the suite uses starts with it.
   */
  prefix: string
  /** Runs after the store is closed, e.g. to close a client the factory opened. */
  cleanup?: () => Promise<void>
}

/** Creates the store under test; called once per check. */
export type StoreConformanceFactory = () => Promise<StoreConformanceFixture>

/** What a check receives. */
export interface StoreConformanceContext {
  /** The store under test. */
  store: CacheStore
  /** The factory prefix plus a part unique to this check run; every key starts with it. */
  prefix: string
  /** `prefix + name`. */
  key(name: string): string
  /** A tag unique to this check run: tags may be indexed store-wide, across prefixes. */
  tag(name: string): string
}

/** One conformance check of the store contract. */
export interface StoreConformanceCheck {
  /** Short kebab-case id, also part of the check's key prefix. */
  id: string
  /** What the check asserts, used as the test name. */
  name: string
  /** Runs the assertions; rejects on a contract violation. */
  run(context: StoreConformanceContext): Promise<void>
}

/** TTL used for entries that must expire; short so the suite stays fast. */
const SHORT_TTL = 200
/** How long to wait for a {@link SHORT_TTL} entry to be gone: 3x, for slow CI machines. */
const EXPIRY_WAIT = 600
/** A TTL that must outlive {@link EXPIRY_WAIT} by far, catching stores that misread milliseconds. */
const LONG_TTL = 60_000

const bytesOf = (...values: number[]) => Uint8Array.from(values)
const text = (value: string) => new TextEncoder().encode(value)

/**
 * Asserts `actual` is a Uint8Array (a Buffer is one) holding exactly `expected`'s bytes. Compares
 * with Buffer.compare rather than toEqual: fast for 1 MB, and independent of Buffer vs Uint8Array.
 */
function expectBytes(actual: Uint8Array | undefined, expected: Uint8Array, what = 'value'): void {
  expect(actual, `${what} must be stored`).toBeDefined()
  expect(actual, `${what} must be a Uint8Array`).toBeInstanceOf(Uint8Array)
  const a = Buffer.from(actual!.buffer, actual!.byteOffset, actual!.byteLength)
  const b = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength)
  expect(a.length, `${what}: byte length`).toBe(b.length)
  if (a.equals(b)) return
  let at = 0
  while (a[at] === b[at]) at++
  expect(a[at], `${what}: first differing byte at index ${at}`).toBe(b[at])
}

/** Every check of the store contract (`packages/core/src/stores/store.ts`), in a stable order. */
export const storeConformanceChecks: readonly StoreConformanceCheck[] = [
  {
    id: 'identity',
    name: 'declares contractVersion 1, a name and boolean capabilities',
    async run({ store }) {
      expect(store.contractVersion).toBe(1)
      expect(typeof store.name).toBe('string')
      expect(store.name.length).toBeGreaterThan(0)
      expect(typeof store.capabilities?.shared).toBe('boolean')
      expect(typeof store.capabilities?.persistent).toBe('boolean')
    },
  },
  {
    id: 'missing',
    name: 'get of a missing key resolves to undefined',
    async run({ store, key }) {
      expect(await store.get(key('never-set'))).toBeUndefined()
    },
  },
  {
    id: 'all-bytes',
    name: 'round-trips all 256 byte values exactly',
    async run({ store, key }) {
      // Both orders: invalid UTF-8 sequences, NUL and 0xff in every position a text codec could trip on.
      const up = Uint8Array.from({ length: 256 }, (_, i) => i)
      const down = up.slice().reverse()
      await store.set(key('up'), up, LONG_TTL)
      await store.set(key('down'), down, LONG_TTL)
      expectBytes(await store.get(key('up')), up, 'bytes 0..255')
      expectBytes(await store.get(key('down')), down, 'bytes 255..0')
    },
  },
  {
    id: 'empty',
    name: 'round-trips an empty value (not a miss)',
    async run({ store, key }) {
      await store.set(key('empty'), new Uint8Array(0), LONG_TTL)
      expectBytes(await store.get(key('empty')), new Uint8Array(0), 'empty value')
      const [many] = await store.getMany([key('empty')])
      expectBytes(many, new Uint8Array(0), 'empty value via getMany')
    },
  },
  {
    id: 'large',
    name: 'round-trips a 1 MB value',
    async run({ store, key }) {
      const big = new Uint8Array(randomBytes(1024 * 1024))
      await store.set(key('big'), big, LONG_TTL)
      expectBytes(await store.get(key('big')), big, '1 MB value')
    },
  },
  {
    id: 'views',
    name: 'stores exactly the bytes of a Uint8Array view (byteOffset, byteLength) and of a Buffer',
    async run({ store, key }) {
      const backing = Uint8Array.from({ length: 64 }, (_, i) => 255 - i)
      const view = backing.subarray(10, 20)
      await store.set(key('view'), view, LONG_TTL)
      expectBytes(await store.get(key('view')), backing.slice(10, 20), 'subarray view')
      const buffer = Buffer.from('buffer value')
      await store.set(key('buffer'), buffer, LONG_TTL)
      expectBytes(await store.get(key('buffer')), text('buffer value'), 'Buffer')
    },
  },
  {
    id: 'key-chars',
    name: 'treats keys as opaque strings (unicode, spaces, separators, glob characters, long keys)',
    async run({ store, key }) {
      const names = ['é ü 日本 🚀', 'with space', 'a:b|c/d', '*?[x]\\', 'x'.repeat(1000)]
      for (const [i, name] of names.entries()) await store.set(key(name), bytesOf(i), LONG_TTL)
      for (const [i, name] of names.entries())
        expectBytes(await store.get(key(name)), bytesOf(i), name.slice(0, 20))
      expect(await store.get(key('with'))).toBeUndefined()
    },
  },
  {
    id: 'overwrite',
    name: 'set overwrites the previous value',
    async run({ store, key }) {
      await store.set(key('k'), text('first, longer value'), LONG_TTL)
      await store.set(key('k'), text('2nd'), LONG_TTL)
      expectBytes(await store.get(key('k')), text('2nd'))
    },
  },
  {
    id: 'delete',
    name: 'delete resolves true when it removed the key, then false',
    async run({ store, key }) {
      await store.set(key('k'), bytesOf(1), LONG_TTL)
      await store.set(key('other'), bytesOf(2), LONG_TTL)
      expect(await store.delete(key('k'))).toBe(true)
      expect(await store.get(key('k'))).toBeUndefined()
      expect(await store.delete(key('k'))).toBe(false)
      expect(await store.delete(key('never-set'))).toBe(false)
      expectBytes(await store.get(key('other')), bytesOf(2), 'untouched key')
    },
  },
  {
    id: 'ttl',
    name: 'expires entries after their TTL, keeps Infinity ones, and a re-set replaces the TTL',
    async run({ store, key }) {
      const started = performance.now()
      await store.set(key('short'), bytesOf(1), SHORT_TTL)
      await store.set(key('long'), bytesOf(2), LONG_TTL)
      await store.set(key('forever'), bytesOf(3), Number.POSITIVE_INFINITY)
      await store.set(key('forever-then-short'), bytesOf(4), Number.POSITIVE_INFINITY)
      await store.set(key('forever-then-short'), bytesOf(5), SHORT_TTL)
      await store.set(key('short-then-forever'), bytesOf(6), SHORT_TTL)
      await store.set(key('short-then-forever'), bytesOf(7), Number.POSITIVE_INFINITY)
      const early = await store.get(key('short'))
      // Only meaningful when the machine was not stalled past the TTL already.
      if (performance.now() - started < SHORT_TTL / 2)
        expectBytes(early, bytesOf(1), 'short-TTL entry before expiry')

      await sleep(EXPIRY_WAIT)
      expect(await store.get(key('short')), 'short-TTL entry after expiry').toBeUndefined()
      expect(await store.get(key('forever-then-short')), 'Infinity re-set with a short TTL').toBeUndefined()
      expectBytes(await store.get(key('long')), bytesOf(2), 'entry with a 60 s TTL')
      expectBytes(await store.get(key('forever')), bytesOf(3), 'Infinity entry')
      expectBytes(await store.get(key('short-then-forever')), bytesOf(7), 'short re-set with Infinity')
      const many = await store.getMany([key('short'), key('forever')])
      expect(many[0], 'expired entry via getMany').toBeUndefined()
      expectBytes(many[1], bytesOf(3), 'Infinity entry via getMany')
    },
  },
  {
    id: 'get-many',
    name: 'getMany answers in input order with undefined holes, duplicates and an empty list',
    async run({ store, key }) {
      await store.set(key('a'), bytesOf(1), LONG_TTL)
      await store.set(key('b'), bytesOf(2), LONG_TTL)
      expect(await store.getMany([])).toEqual([])
      const keys = [key('b'), key('missing'), key('a'), key('b'), key('missing'), key('a')]
      const values = await store.getMany(keys)
      expect(values).toHaveLength(keys.length)
      expectBytes(values[0], bytesOf(2), 'b')
      expect(values[1]).toBeUndefined()
      expectBytes(values[2], bytesOf(1), 'a')
      expectBytes(values[3], bytesOf(2), 'b (duplicate)')
      expect(values[4]).toBeUndefined()
      expectBytes(values[5], bytesOf(1), 'a (duplicate)')
      const [onlyMissing] = await store.getMany([key('missing')])
      expect(onlyMissing).toBeUndefined()
    },
  },
  {
    id: 'set-many',
    name: 'setMany writes every entry with its own TTL and tags',
    async run({ store, key, tag }) {
      await store.setMany([])
      await store.setMany([
        { key: key('short'), value: bytesOf(1), ttl: SHORT_TTL },
        { key: key('forever'), value: bytesOf(2), ttl: Number.POSITIVE_INFINITY, tags: [tag('a')] },
        { key: key('long'), value: bytesOf(3), ttl: LONG_TTL, tags: [tag('b'), tag('c')] },
        { key: key('untagged'), value: new Uint8Array(0), ttl: LONG_TTL },
      ])
      const now = await store.getMany([key('forever'), key('long'), key('untagged')])
      expectBytes(now[0], bytesOf(2), 'forever')
      expectBytes(now[1], bytesOf(3), 'long')
      expectBytes(now[2], new Uint8Array(0), 'untagged empty value')

      await sleep(EXPIRY_WAIT)
      expect(await store.get(key('short')), 'short-TTL entry after expiry').toBeUndefined()
      expectBytes(await store.get(key('forever')), bytesOf(2), 'Infinity entry')
      expect(await store.invalidateTags([tag('a')])).toBe(1)
      expect(await store.get(key('forever'))).toBeUndefined()
      expect(await store.invalidateTags([tag('c')])).toBe(1)
      expect(await store.get(key('long'))).toBeUndefined()
      expectBytes(await store.get(key('untagged')), new Uint8Array(0), 'untagged entry')
    },
  },
  {
    id: 'tags',
    name: 'invalidateTags removes exactly the keys carrying the tag and resolves to their count',
    async run({ store, key, tag }) {
      await store.set(key('a1'), bytesOf(1), LONG_TTL, [tag('a')])
      await store.set(key('ab'), bytesOf(2), LONG_TTL, [tag('a'), tag('b')])
      await store.set(key('b1'), bytesOf(3), LONG_TTL, [tag('b')])
      await store.set(key('c1'), bytesOf(4), LONG_TTL, [tag('c')])
      await store.set(key('none'), bytesOf(5), LONG_TTL)
      await store.set(key('empty-tags'), bytesOf(6), LONG_TTL, [])

      expect(await store.invalidateTags([tag('a')])).toBe(2)
      expect(await store.getMany([key('a1'), key('ab')])).toEqual([undefined, undefined])
      expectBytes(await store.get(key('b1')), bytesOf(3), 'key tagged b only')
      expectBytes(await store.get(key('c1')), bytesOf(4), 'key tagged c')
      expectBytes(await store.get(key('none')), bytesOf(5), 'untagged key')
      expectBytes(await store.get(key('empty-tags')), bytesOf(6), 'key with an empty tag list')

      // `ab` is already gone: only b1 is left to remove for tag b.
      expect(await store.invalidateTags([tag('b')])).toBe(1)
      expect(await store.get(key('b1'))).toBeUndefined()
      expect(await store.invalidateTags([tag('a')])).toBe(0)
      expect(await store.invalidateTags([tag('never-used')])).toBe(0)
      expect(await store.invalidateTags([])).toBe(0)
      expectBytes(await store.get(key('c1')), bytesOf(4), 'key tagged c')
    },
  },
  {
    id: 'multi-tags',
    name: 'invalidating several tags counts a key carrying more than one of them once',
    async run({ store, key, tag }) {
      await store.set(key('ab'), bytesOf(1), LONG_TTL, [tag('a'), tag('b')])
      await store.set(key('bc'), bytesOf(2), LONG_TTL, [tag('b'), tag('c')])
      await store.set(key('c'), bytesOf(3), LONG_TTL, [tag('c')])
      await store.set(key('d'), bytesOf(4), LONG_TTL, [tag('d')])
      expect(await store.invalidateTags([tag('a'), tag('b'), tag('c'), tag('b')])).toBe(3)
      expect(await store.getMany([key('ab'), key('bc'), key('c')])).toEqual([undefined, undefined, undefined])
      expectBytes(await store.get(key('d')), bytesOf(4), 'key tagged d')
    },
  },
  {
    id: 'retag',
    name: 'a re-set entry carries only its new tags; deleted entries are not counted',
    async run({ store, key, tag }) {
      await store.set(key('untagged-later'), bytesOf(1), LONG_TTL, [tag('a')])
      await store.set(key('untagged-later'), bytesOf(2), LONG_TTL)
      await store.set(key('moved'), bytesOf(3), LONG_TTL, [tag('a')])
      await store.setMany([{ key: key('moved'), value: bytesOf(4), ttl: LONG_TTL, tags: [tag('b')] }])
      await store.set(key('deleted'), bytesOf(5), LONG_TTL, [tag('a')])
      await store.delete(key('deleted'))

      expect(await store.invalidateTags([tag('a')])).toBe(0)
      expectBytes(await store.get(key('untagged-later')), bytesOf(2), 'entry re-set without the tag')
      expectBytes(await store.get(key('moved')), bytesOf(4), 'entry re-set with another tag')
      expect(await store.invalidateTags([tag('b')])).toBe(1)
      expect(await store.get(key('moved'))).toBeUndefined()
      // Re-tagging after an invalidation works like a first tagging.
      await store.set(key('moved'), bytesOf(6), LONG_TTL, [tag('b')])
      expect(await store.invalidateTags([tag('b')])).toBe(1)
    },
  },
  {
    id: 'clear',
    name: 'clear(prefix) removes only keys starting with the prefix and resolves to their count',
    async run({ store, key, tag }) {
      await store.set(key('ns1:a'), bytesOf(1), LONG_TTL)
      await store.set(key('ns1:b:c'), bytesOf(2), Number.POSITIVE_INFINITY, [tag('t')])
      await store.set(key('ns2:a'), bytesOf(3), LONG_TTL)
      await store.set(key('ns1'), bytesOf(4), LONG_TTL)
      await store.set(key('ns10:a'), bytesOf(5), LONG_TTL)

      expect(await store.clear(key('ns1:'))).toBe(2)
      expect(await store.getMany([key('ns1:a'), key('ns1:b:c')])).toEqual([undefined, undefined])
      expectBytes(await store.get(key('ns2:a')), bytesOf(3), 'other namespace')
      expectBytes(await store.get(key('ns1')), bytesOf(4), 'key equal to the prefix minus its separator')
      expectBytes(await store.get(key('ns10:a')), bytesOf(5), 'namespace sharing the first characters')
      // The cleared entry's tag no longer points at anything.
      expect(await store.invalidateTags([tag('t')])).toBe(0)
      expect(await store.clear(key('ns1:'))).toBe(0)
      expect(await store.clear(key('never-used:'))).toBe(0)
      expect(await store.clear(key(''))).toBe(3)
    },
  },
  {
    id: 'clear-literal',
    name: 'clear treats the prefix literally, not as a glob or a pattern',
    async run({ store, key }) {
      const literal = key('g*[x]?\\.+:')
      await store.set(`${literal}1`, bytesOf(1), LONG_TTL)
      await store.set(`${literal}2`, bytesOf(2), LONG_TTL)
      // Matched by the prefix read as a Redis glob, and as a regular expression, respectively.
      await store.set(key('gQQx!.+:1'), bytesOf(3), LONG_TTL)
      await store.set(key('ggx..:1'), bytesOf(4), LONG_TTL)
      expect(await store.clear(literal)).toBe(2)
      expectBytes(await store.get(key('gQQx!.+:1')), bytesOf(3), 'glob look-alike')
      expectBytes(await store.get(key('ggx..:1')), bytesOf(4), 'regular expression look-alike')
    },
  },
  {
    id: 'concurrency',
    name: '200 concurrent sets, then concurrent gets, are all consistent',
    async run({ store, key }) {
      const values = Array.from({ length: 200 }, (_, i) => new Uint8Array(randomBytes(16 + (i % 50))))
      await Promise.all(values.map((value, i) => store.set(key(`c${i}`), value, LONG_TTL)))
      const read = await Promise.all(values.map((_, i) => store.get(key(`c${i}`))))
      for (const [i, value] of values.entries()) expectBytes(read[i], value, `key c${i}`)
      const many = await store.getMany(values.map((_, i) => key(`c${i}`)))
      for (const [i, value] of values.entries()) expectBytes(many[i], value, `key c${i} via getMany`)
    },
  },
  {
    id: 'same-key-race',
    name: 'concurrent writes to one key leave exactly one of the written values',
    async run({ store, key }) {
      const writes = Array.from({ length: 50 }, (_, i) => Uint8Array.from({ length: 100 + i }, () => i))
      await Promise.all(writes.map((value) => store.set(key('hot'), value, LONG_TTL)))
      const final = await store.get(key('hot'))
      expect(final).toBeInstanceOf(Uint8Array)
      const winner = final![0]!
      expectBytes(final, writes[winner]!, 'value after the race (never a mix of two writes)')
    },
  },
  {
    id: 'close',
    name: 'close() is idempotent',
    async run({ store }) {
      await store.close()
      await store.close()
      await Promise.all([store.close(), store.close()])
    },
  },
]

/**
 * Runs one check against a fresh store from `factory`, under a prefix unique to this run, then
 * clears that prefix (best effort), closes the store and runs the fixture's `cleanup`. Rejects with
 * the check's assertion error when the store breaks the contract.
 */
export async function runStoreConformanceCheck(
  check: StoreConformanceCheck,
  factory: StoreConformanceFactory,
): Promise<void> {
  const fixture = await factory()
  const prefix = `${fixture.prefix}${check.id}:${randomBytes(3).toString('hex')}:`
  const context: StoreConformanceContext = {
    store: fixture.store,
    prefix,
    key: (name) => prefix + name,
    tag: (name) => `${prefix}tag:${name}`,
  }
  let failure: unknown
  try {
    await check.run(context)
  } catch (error) {
    failure = error
  }
  try {
    // Best effort: the check may have closed the store, and a broken clear() is the check's business.
    await fixture.store.clear(prefix).catch(() => {})
    await fixture.store.close()
    await fixture.cleanup?.()
  } catch (error) {
    failure ??= error
  }
  if (failure !== undefined) throw failure
}

/**
 * Registers a vitest `describe` block with one test per {@link storeConformanceChecks} entry,
 * each against a fresh store from `factory`. Every key and tag starts with the fixture's prefix,
 * so files sharing one Redis do not collide.
 *
 * @example
 * const redis = useRedis()
 * describeStoreConformance('RedisStore', async () => ({
 *   store: new RedisStore({ url: redis.url }),
 *   prefix: redis.prefix,
 * }))
 */
export function describeStoreConformance(name: string, factory: StoreConformanceFactory): void {
  describe(`store conformance: ${name}`, () => {
    for (const check of storeConformanceChecks) {
      it(check.name, () => runStoreConformanceCheck(check, factory), 30_000)
    }
  })
}
