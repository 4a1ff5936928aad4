import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { KeyvStore } from '@cache/core/keyv'
import { Keyv } from 'keyv'
import { afterAll } from 'vitest'

/**
 * Test helper: one value of every kind the codec promises to round-trip exactly, including the falsy ones, binary values and a large compressible string.
 */
export function everyValueKind(): Record<string, unknown> {
  // biome-ignore lint/suspicious/noSparseArray: holes are what is tested
  const holes = [1, , 3]
  const nullProto = Object.assign(Object.create(null), { a: 1 })
  return {
    undefined: undefined,
    null: null,
    false: false,
    true: true,
    zero: 0,
    negZero: -0,
    nan: Number.NaN,
    inf: Number.NEGATIVE_INFINITY,
    int: 2147483647,
    float: 0.1 + 0.2,
    empty: '',
    text: 'héllo wörld 👋',
    loneSurrogate: 'a\uD800b',
    bigint: -(2n ** 100n),
    date: new Date(1_700_000_000_123),
    invalidDate: new Date(Number.NaN),
    regexp: /a+b/giu,
    holes,
    nested: { a: [1, { b: 'c', d: [null, true] }], e: { f: { g: 1.5 } } },
    nullProto,
    map: new Map<unknown, unknown>([
      [1, 'one'],
      ['k', new Set([1, 2])],
      [{ o: 1 }, [1n]],
    ]),
    set: new Set(['x', 1, null]),
    buffer: Buffer.from([0, 255, 1, 254, 0x0a, 0x0d]),
    uint8: new Uint8Array([1, 2, 3]),
    float32: new Float32Array([0.25, -0, Number.NaN, 1e-30]),
    float64: new Float64Array([Math.PI, Number.MAX_VALUE]),
    int16: new Int16Array([-32768, 32767]),
    bigint64: new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n]),
    dataView: new DataView(new Uint8Array([9, 8, 7, 6]).buffer, 1, 2),
    arrayBuffer: new Uint8Array([5, 6, 7]).buffer,
    large: 'compress me '.repeat(2000),
  }
}

/** Test helper: a store over an in-memory Keyv (it can list its keys, unlike MemoryStore). */
export function keyvMemoryStore(): KeyvStore {
  return new KeyvStore(new Keyv())
}

/** Test helper: a temporary directory removed after the file's tests. */
export function useTempDir(): { path: (name: string) => string; ready: Promise<string> } {
  const ready = mkdtemp(join(tmpdir(), 'cache-ops-'))
  let dir = ''
  void ready.then((d) => {
    dir = d
  })
  afterAll(async () => {
    await rm(await ready, { recursive: true, force: true })
  })
  return {
    ready,
    path: (name) => {
      if (dir === '') throw new Error('useTempDir: await ready first')
      return join(dir, name)
    },
  }
}
