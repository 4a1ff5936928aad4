import { Readable, Writable } from 'node:stream'
import { createCache } from '@cache/core'
import { RedisStore } from '@cache/core/redis'
import { invalidOption } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { exportEntries } from './export-entries.js'
import { importEntries } from './import-entries.js'
import { keyvMemoryStore } from './ops-test-helpers.js'
import { prewarm } from './prewarm.js'
import { publishStats } from './publish-stats.js'
import { scanRedisKeys } from './redis-scan.js'
import { runConcurrent } from './run-concurrent.js'
import { exportSnapshot, importSnapshot } from './snapshot-ops.js'
import { readSnapshot } from './snapshot-reader.js'
import { writeSnapshot } from './snapshot-writer.js'
import { syncCaches } from './sync-caches.js'

const sink = () => new Writable({ write: (_chunk, _encoding, done) => done() })

/** A RedisStore that never connects: options are checked before any command. */
function idleRedis(): RedisStore {
  return new RedisStore({ url: 'redis://127.0.0.1:1', redis: { lazyConnect: true } })
}

describe('ops functions refuse unknown options, naming the near miss', () => {
  it('exportEntries, at the call (not at the first next())', async () => {
    const store = keyvMemoryStore()
    expect(await invalidOption(() => exportEntries(store, { namesapce: 'app' } as never))).toMatch(
      /Unknown option "namesapce" in exportEntries options: did you mean "namespace"/,
    )
  })

  it('importEntries and syncCaches', async () => {
    const store = keyvMemoryStore()
    expect(await invalidOption(() => importEntries(store, [], { overwirte: true } as never))).toMatch(
      /in importEntries options: did you mean "overwrite"/,
    )
    expect(
      await invalidOption(() => syncCaches(store, keyvMemoryStore(), { dryrun: true } as never)),
    ).toMatch(/in syncCaches options: did you mean "dryRun"/)
  })

  it('prewarm and runConcurrent', async () => {
    const cache = createCache()
    expect(await invalidOption(() => prewarm(cache, [1], (n) => n, { concurency: 2 } as never))).toMatch(
      /in prewarm options: did you mean "concurrency"/,
    )
    expect(await invalidOption(() => runConcurrent([1], async () => {}, { maxFailure: 1 } as never))).toMatch(
      /in runConcurrent options: did you mean "maxFailures"/,
    )
    // getOrSet options pass through prewarm.
    expect(await prewarm(cache, [1, 2], (n) => n * 2, { ttl: '1m', concurrency: 2 })).toMatchObject({
      loaded: 2,
    })
  })

  it('snapshots: exportSnapshot, importSnapshot, readSnapshot, writeSnapshot', async () => {
    const store = keyvMemoryStore()
    expect(await invalidOption(() => exportSnapshot(store, sink(), { sorce: 'x' } as never))).toMatch(
      /in exportSnapshot options: did you mean "source"/,
    )
    expect(
      await invalidOption(() => importSnapshot(store, Readable.from([]), { invalidLine: 'skip' } as never)),
    ).toMatch(/in importSnapshot options: did you mean "invalidLines"/)
    expect(await invalidOption(() => readSnapshot(Readable.from([]), { verfy: 'full' } as never))).toMatch(
      /in readSnapshot options: did you mean "verify"/,
    )
    expect(await invalidOption(() => writeSnapshot([], sink(), { namespce: 'a' } as never))).toMatch(
      /in writeSnapshot options: did you mean "namespace"/,
    )
  })

  it('publishStats and scanRedisKeys', async () => {
    const store = idleRedis()
    try {
      expect(
        await invalidOption(() => publishStats(createCache(), store, { intervall: 5 } as never)),
      ).toMatch(/in publishStats options: did you mean "interval"/)
      expect(await invalidOption(() => scanRedisKeys(store, { mach: '*' } as never))).toMatch(
        /in scanRedisKeys options: did you mean "match"/,
      )
    } finally {
      await store.close()
    }
  })
})
