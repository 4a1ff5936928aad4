import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildApp } from './app.js'
import type { AppConfig } from './config.js'
import { type LocalModels, loadModels } from './models/load-models.js'
import { cacheHeaders, postJson } from './testing/inject-json.js'
import { type MockOpenAI, mockUpstreamConfig, startMockOpenAI } from './testing/mock-openai.js'

let models: LocalModels
let upstream: MockOpenAI
const apps: FastifyInstance[] = []

beforeAll(async () => {
  ;[models, upstream] = await Promise.all([loadModels({ flightsRows: 500 }), startMockOpenAI('k')])
})
afterAll(() => upstream?.close())
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(apps.splice(0).map((a) => a.close()))
})

async function app(config: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  const built = await buildApp({ models, config: { ...mockUpstreamConfig(upstream, 'k'), ...config } })
  apps.push(built)
  return built
}

const embed = (a: FastifyInstance, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
  postJson(a, '/v1/embeddings', { model: 'use-lite', ...body }, headers)
const answer = (res: Awaited<ReturnType<typeof embed>>) => ({
  status: res.statusCode,
  ...cacheHeaders(res),
  cacheStatus: res.headers['cache-status'],
})

describe('per-request cache control', () => {
  it('says what happened in x-cache and Cache-Status', async () => {
    const a = await app()
    expect(answer(await embed(a, { input: ['s1', 's2'] }))).toMatchObject({
      cache: 'MISS',
      cacheStatus: 'ml-api; fwd=uri-miss; stored',
    })
    expect(answer(await embed(a, { input: ['s1', 's3'] }))).toMatchObject({
      cache: 'PARTIAL',
      cacheStatus: 'ml-api; fwd=uri-miss; stored; detail=partial',
    })
    expect(answer(await embed(a, { input: ['s3', 's1'] }))).toMatchObject({
      cache: 'HIT',
      cacheStatus: 'ml-api; hit',
    })
  })

  it.each([
    ['Cache-Control: no-cache', {}, { 'cache-control': 'no-cache' }],
    ['Pragma: no-cache', {}, { pragma: 'no-cache' }],
    ['the LiteLLM body field', { cache: { 'no-cache': true } }, {}],
  ])('%s recomputes a cached item and stores the new answer', async (_name, extra, headers) => {
    const a = await app()
    await embed(a, { input: 'again' })
    const predict = vi.spyOn(models.embeddings, 'predict')
    const forced = await embed(a, { input: 'again', ...extra }, headers)
    expect(answer(forced)).toMatchObject({
      status: 200,
      cache: 'MISS',
      cacheStatus: 'ml-api; fwd=request; stored',
    })
    expect(predict).toHaveBeenCalledTimes(1)
    expect(cacheHeaders(await embed(a, { input: 'again' })).cache).toBe('HIT')
  })

  it('no-store computes without storing', async () => {
    const a = await app()
    const predict = vi.spyOn(models.flightDelay, 'predict')
    const row = { inputs: [{ distance: 321, hour: 4 }] }
    for (const headers of [{ 'cache-control': 'no-store' }, {}] as Record<string, string>[]) {
      const res = await postJson(
        a,
        '/v1/predict/flight-delay',
        { ...row, cache: { 'no-store': true } },
        headers,
      )
      expect(answer(res)).toMatchObject({ cache: 'MISS', cacheStatus: 'ml-api; fwd=uri-miss' })
    }
    expect(predict).toHaveBeenCalledTimes(2)
    expect(cacheHeaders(await postJson(a, '/v1/predict/flight-delay', row)).cache).toBe('MISS')
  })

  it('max-age / s-maxage recompute only what is older', async () => {
    const a = await app()
    // The item is made ten minutes "ago".
    const now = Date.now
    vi.spyOn(Date, 'now').mockImplementation(() => now() - 600_000)
    await embed(a, { input: 'aging' })
    vi.mocked(Date.now).mockRestore()
    expect(cacheHeaders(await embed(a, { input: 'aging' }, { 'cache-control': 'max-age=3600' })).cache).toBe(
      'HIT',
    )
    const old = await embed(a, { input: 'aging', cache: { 's-maxage': 60 } })
    expect(answer(old)).toMatchObject({ cache: 'MISS', cacheStatus: 'ml-api; fwd=request; stored' })
    // Recomputed just now: young enough for the same bound.
    expect(cacheHeaders(await embed(a, { input: 'aging' }, { 'cache-control': 'max-age=60' })).cache).toBe(
      'HIT',
    )
  })

  it('ttl sets the TTL of what the request stores, at most the server TTL', async () => {
    const a = await app({ cacheTtl: '1h' })
    const set = vi.spyOn(a.mlApi.cache, 'getOrSet')
    await embed(a, { input: 'short-lived', cache: { ttl: 5 } })
    await embed(a, { input: 'long-lived', cache: { ttl: 86_400 } })
    expect(set.mock.calls.map(([, , options]) => options?.ttl)).toEqual([5000, 3_600_000])
  })

  it('namespace partitions the cache', async () => {
    const a = await app()
    const ns = (namespace: string) => ({ input: 'shared text', cache: { namespace } })
    expect(cacheHeaders(await embed(a, ns('team-a'))).cache).toBe('MISS')
    expect(cacheHeaders(await embed(a, { input: 'shared text' })).cache).toBe('MISS')
    expect(cacheHeaders(await embed(a, ns('team-b'))).cache).toBe('MISS')
    expect(cacheHeaders(await embed(a, ns('team-a'))).cache).toBe('HIT')
    const bad = await embed(a, ns('spaces are not allowed'))
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.param).toBe('cache.namespace')
  })

  it('the operator can limit client control (no-store allowed, no-cache ignored) or switch it off', async () => {
    const limited = await app({ clientCacheControl: ['no-store'] })
    await embed(limited, { input: 'paid' })
    expect(cacheHeaders(await embed(limited, { input: 'paid' }, { 'cache-control': 'no-cache' })).cache).toBe(
      'HIT',
    )
    expect(cacheHeaders(await embed(limited, { input: 'paid', cache: { 'no-cache': true } })).cache).toBe(
      'HIT',
    )
    await embed(limited, { input: 'private', cache: { 'no-store': true } })
    expect(cacheHeaders(await embed(limited, { input: 'private' })).cache).toBe('MISS')

    const off = await app({ clientCacheControl: [] })
    await embed(off, { input: 'x', cache: { 'no-store': true } })
    expect(cacheHeaders(await embed(off, { input: 'x' }, { 'cache-control': 'no-cache' })).cache).toBe('HIT')
  })

  it('applies to chat completions, and the cache field never reaches the upstream', async () => {
    const a = await app()
    const chat = (extra: Record<string, unknown>, headers: Record<string, string> = {}) =>
      postJson(
        a,
        '/v1/chat/completions',
        {
          model: 'gpt-4o-mini',
          temperature: 0,
          messages: [{ role: 'user', content: 'per request' }],
          ...extra,
        },
        headers,
      )
    const calls = () => upstream.calls.filter((c) => c.path === 'chat/completions')
    const before = calls().length
    expect((await chat({})).headers['cache-status']).toBe('ml-api; fwd=uri-miss; stored')
    const hit = await chat({ cache: { ttl: 60 } })
    expect([hit.headers['x-cache'], hit.headers['cache-status']]).toEqual(['HIT', 'ml-api; hit'])
    const forced = await chat({}, { 'cache-control': 'no-cache' })
    expect([forced.headers['x-cache'], forced.headers['cache-status']]).toEqual([
      'MISS',
      'ml-api; fwd=request; stored',
    ])
    const noStore = await chat({ cache: { 'no-store': true, namespace: 'n1' } })
    expect(noStore.headers['cache-status']).toBe('ml-api; fwd=uri-miss')
    expect((await chat({ cache: { namespace: 'n1' } })).headers['x-cache']).toBe('MISS')
    expect(calls().length - before).toBe(4)
    expect(calls().every((c) => !('cache' in c.body))).toBe(true)
  })
})
