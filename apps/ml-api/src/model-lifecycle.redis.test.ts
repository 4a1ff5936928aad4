import { useRedis } from '@cache/test-utils'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'
import { type LocalModels, loadModels } from './models/load-models.js'
import { cacheHeaders, postJson } from './testing/inject-json.js'

const redis = useRedis()
let models: LocalModels

beforeAll(async () => {
  models = await loadModels({ flightsRows: 500 })
})

/** Builds an app on the shared Redis serving the flight model as `version`, runs `fn`, closes it. */
async function deployment(
  version: string,
  dropOldVersions: boolean,
  fn?: (r: () => Promise<string>) => Promise<void>,
) {
  const app = await buildApp({
    models,
    config: {
      redisUrl: redis.url,
      redisKeyPrefix: redis.prefix,
      redisTimeoutMs: 5000,
      modelVersions: { 'flight-delay-knn': version },
      dropOldVersions,
    },
  })
  try {
    const ask = async () =>
      cacheHeaders(await postJson(app, '/v1/predict/flight-delay', { inputs: [{ distance: 900, hour: 8 }] }))
        .cache
    await fn?.(ask)
  } finally {
    await app.close()
  }
}

describe('DROP_OLD_VERSIONS at start-up, on Redis', () => {
  it('drops the answers of the versions served before', async () => {
    await deployment('v1', false, async (ask) => {
      expect(await ask()).toBe('MISS')
    })
    // Another replica (or a restart) of v1 finds the answer in Redis...
    await deployment('v1', false, async (ask) => {
      expect(await ask()).toBe('HIT')
    })
    // ...until v2 starts with DROP_OLD_VERSIONS: then v1's answers are gone, not lingering to their TTL.
    await deployment('v2', true)
    await deployment('v1', false, async (ask) => {
      expect(await ask()).toBe('MISS')
    })
  })
})
