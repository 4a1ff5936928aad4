import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig } from './config.js'

describe('loadConfig: request deadlines', () => {
  it('defaults to 15 s for the body, 30 s for the request, 60 s for a silent connection', () => {
    expect(loadConfig({})).toMatchObject({
      bodyTimeoutMs: 15_000,
      requestTimeoutMs: 30_000,
      connectionTimeoutMs: 60_000,
    })
  })

  it('reads BODY_TIMEOUT_MS, REQUEST_TIMEOUT_MS and CONNECTION_TIMEOUT_MS; 0 turns one off', () => {
    const env = { BODY_TIMEOUT_MS: '500', REQUEST_TIMEOUT_MS: '0', CONNECTION_TIMEOUT_MS: '90000' }
    expect(loadConfig(env)).toMatchObject({
      bodyTimeoutMs: 500,
      requestTimeoutMs: 0,
      connectionTimeoutMs: 90_000,
    })
  })

  it.each(['BODY_TIMEOUT_MS', 'REQUEST_TIMEOUT_MS', 'CONNECTION_TIMEOUT_MS'])('refuses a bad %s', (name) => {
    for (const value of ['-1', '1.5', 'soon', '3600001']) {
      expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
    }
  })
})

describe('loadConfig: Redis deadline', () => {
  it('defaults REDIS_TIMEOUT_MS to 250 ms and reads it', () => {
    expect(loadConfig({}).redisTimeoutMs).toBe(250)
    expect(loadConfig({ REDIS_TIMEOUT_MS: '5000' }).redisTimeoutMs).toBe(5000)
  })

  it('refuses a bad REDIS_TIMEOUT_MS', () => {
    for (const value of ['0', '-1', '1.5', 'soon', '600001']) {
      expect(() => loadConfig({ REDIS_TIMEOUT_MS: value })).toThrow(ConfigError)
    }
  })
})

describe('loadConfig: client cache control', () => {
  it('allows every directive by default, a list, or none', () => {
    expect(loadConfig({}).clientCacheControl).toEqual(['no-cache', 'no-store', 'max-age', 'ttl', 'namespace'])
    expect(loadConfig({ CLIENT_CACHE_CONTROL: 'no-store, ttl' }).clientCacheControl).toEqual([
      'no-store',
      'ttl',
    ])
    expect(loadConfig({ CLIENT_CACHE_CONTROL: 'none' }).clientCacheControl).toEqual([])
  })

  it('refuses an unknown directive', () => {
    expect(() => loadConfig({ CLIENT_CACHE_CONTROL: 'no-cache,must-revalidate' })).toThrow(ConfigError)
  })
})

describe('loadConfig: dynamic batching', () => {
  it('reads MODEL_BATCHING per model id', () => {
    expect(loadConfig({}).modelBatching).toEqual({})
    const env = { MODEL_BATCHING: '{"use-lite":{"maxBatchSize":16,"maxQueueDelayMs":0}}' }
    expect(loadConfig(env).modelBatching).toEqual({ 'use-lite': { maxBatchSize: 16, maxQueueDelayMs: 0 } })
  })

  it.each(['[1]', '{"m":{"maxBatchSize":0}}', '{"m":{"delay":2}}', '{"m":{"maxQueueDelayMs":1.5}}', 'nope'])(
    'refuses MODEL_BATCHING=%s',
    (value) => {
      expect(() => loadConfig({ MODEL_BATCHING: value })).toThrow(ConfigError)
    },
  )
})

describe('loadConfig: tenancy', () => {
  it('shares by default, reads CHAT_CACHE_PARTITION and MODEL_CACHE_PARTITION, refuses others', () => {
    expect(loadConfig({})).toMatchObject({ chatCachePartition: 'shared', modelCachePartition: 'shared' })
    expect(loadConfig({ CHAT_CACHE_PARTITION: 'api-key', MODEL_CACHE_PARTITION: 'user' })).toMatchObject({
      chatCachePartition: 'api-key',
      modelCachePartition: 'user',
    })
    expect(() => loadConfig({ CHAT_CACHE_PARTITION: 'tenant' })).toThrow(ConfigError)
  })
})

describe('loadConfig: model lifecycle', () => {
  it('reads MODEL_VERSIONS and DROP_OLD_VERSIONS', () => {
    expect(loadConfig({})).toMatchObject({ modelVersions: {}, dropOldVersions: false })
    expect(
      loadConfig({ MODEL_VERSIONS: 'use-lite=2026-01, gpt-4o-mini=snap.2', DROP_OLD_VERSIONS: 'true' }),
    ).toMatchObject({
      modelVersions: { 'use-lite': '2026-01', 'gpt-4o-mini': 'snap.2' },
      dropOldVersions: true,
    })
  })

  it.each([
    ['MODEL_VERSIONS', 'use-lite'],
    ['MODEL_VERSIONS', 'use-lite=a=b'],
    ['MODEL_VERSIONS', 'use-lite=has space'],
    ['DROP_OLD_VERSIONS', 'maybe'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError)
  })
})
