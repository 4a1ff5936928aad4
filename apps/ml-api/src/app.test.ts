import type { FastifyInstance } from 'fastify'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildApp } from './app.js'
import type { AppConfig } from './config.js'
import { type LocalModels, loadModels } from './models/load-models.js'
import { cacheHeaders, postJson } from './testing/inject-json.js'
import { base64ToFloat32 } from './upstream/float32-base64.js'

let models: LocalModels
const apps: FastifyInstance[] = []

beforeAll(async () => {
  models = await loadModels({ flightsRows: 2000 })
})

afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(apps.splice(0).map((app) => app.close()))
})

async function app(config: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  const built = await buildApp({ models, config })
  apps.push(built)
  return built
}

type EmbeddingsAnswer = {
  object: string
  data: { object: string; index: number; embedding: number[] | string }[]
  model: string
  usage: { prompt_tokens: number; total_tokens: number }
}

describe('POST /v1/embeddings', () => {
  it('answers OpenAI-shaped vectors and caches each input', async () => {
    const a = await app()
    const first = await postJson(a, '/v1/embeddings', { input: ['hello world', 'good morning'] })
    expect(first.statusCode).toBe(200)
    expect(cacheHeaders(first)).toEqual({ cache: 'MISS', hits: 0, misses: 2 })
    expect(first.headers['x-model-version']).toBe(models.embeddings.version)
    const body = first.json<EmbeddingsAnswer>()
    expect(body.object).toBe('list')
    expect(body.model).toBe('use-lite')
    expect(body.data.map((d) => [d.object, d.index])).toEqual([
      ['embedding', 0],
      ['embedding', 1],
    ])
    expect(body.data[0]!.embedding).toHaveLength(512)
    expect(body.usage.prompt_tokens).toBeGreaterThan(0)
    expect(body.usage.total_tokens).toBe(body.usage.prompt_tokens)

    const partial = await postJson(a, '/v1/embeddings', {
      input: ['good morning', 'new text', 'hello world'],
    })
    expect(cacheHeaders(partial)).toEqual({ cache: 'PARTIAL', hits: 2, misses: 1 })
    const again = partial.json<EmbeddingsAnswer>()
    expect(again.data[0]!.embedding).toEqual(body.data[1]!.embedding)
    expect(again.data[2]!.embedding).toEqual(body.data[0]!.embedding)

    const single = await postJson(a, '/v1/embeddings', { input: 'new text', model: 'use-lite' })
    expect(cacheHeaders(single)).toEqual({ cache: 'HIT', hits: 1, misses: 0 })
  })

  it('answers base64 float32 when asked, the same vector as the float array', async () => {
    const a = await app()
    const floats = (await postJson(a, '/v1/embeddings', { input: 'base64 please' })).json<EmbeddingsAnswer>()
    const res = await postJson(a, '/v1/embeddings', { input: 'base64 please', encoding_format: 'base64' })
    expect(cacheHeaders(res).cache).toBe('HIT')
    const encoded = res.json<EmbeddingsAnswer>().data[0]!.embedding
    expect(typeof encoded).toBe('string')
    expect(Array.from(base64ToFloat32(encoded as string)!)).toEqual(floats.data[0]!.embedding)
  })

  it('calls the model once for all the misses of a request', async () => {
    const a = await app()
    const predict = vi.spyOn(models.embeddings, 'predict')
    await postJson(a, '/v1/embeddings', { input: ['one', 'two', 'three'] })
    await postJson(a, '/v1/embeddings', { input: ['two', 'four', 'five', 'one'] })
    expect(predict.mock.calls.map(([inputs]) => inputs)).toEqual([
      ['one', 'two', 'three'],
      ['four', 'five'],
    ])
  })

  it('batches the misses of 16 concurrent single-sentence requests into at most 4 model calls', async () => {
    const a = await app()
    const predict = vi.spyOn(models.embeddings, 'predict')
    const texts = Array.from({ length: 16 }, (_, i) => `concurrent sentence number ${i}`)
    const answers = await Promise.all(texts.map((input) => postJson(a, '/v1/embeddings', { input })))
    expect(answers.map((r) => cacheHeaders(r).cache)).toEqual(texts.map(() => 'MISS'))
    expect(predict.mock.calls.length).toBeLessThanOrEqual(4)
    expect(predict.mock.calls.flatMap(([inputs]) => inputs).sort()).toEqual([...texts].sort())
    // Each text is stored under its own key.
    const again = await postJson(a, '/v1/embeddings', { input: texts })
    expect(cacheHeaders(again)).toEqual({ cache: 'HIT', hits: 16, misses: 0 })
  })

  it('refuses a model it does not serve', async () => {
    const res = await postJson(await app(), '/v1/embeddings', { input: 'x', model: 'text-embedding-3-small' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('model_not_found')
  })
})

describe('POST /v1/predict/flight-delay', () => {
  it('answers in input order and caches per row, whatever the key order and whitespace', async () => {
    const a = await app()
    const first = await postJson(a, '/v1/predict/flight-delay', {
      inputs: [
        { distance: 400, hour: 7 },
        { distance: 2400, hour: 18.5 },
      ],
    })
    expect(first.statusCode).toBe(200)
    expect(cacheHeaders(first)).toEqual({ cache: 'MISS', hits: 0, misses: 2 })
    const body = first.json<{ model: string; modelVersion: string; predictions: { neighbors: number }[] }>()
    expect(body.model).toBe('flight-delay-knn')
    expect(body.modelVersion).toBe(models.flightDelay.version)
    expect(body.predictions).toHaveLength(2)
    const reordered = await postJson(
      a,
      '/v1/predict/flight-delay',
      '{ "inputs" : [ { "hour" : 18.5 , "distance" : 2400 } ,\n {"hour":7,"distance":400} ] }',
    )
    expect(cacheHeaders(reordered)).toEqual({ cache: 'HIT', hits: 2, misses: 0 })
    expect(reordered.json<typeof body>().predictions).toEqual([body.predictions[1], body.predictions[0]])
  })

  it('computes a row shared by two concurrent requests once', async () => {
    const a = await app()
    const predict = vi.spyOn(models.flightDelay, 'predict')
    const [r1, r2] = await Promise.all([
      postJson(a, '/v1/predict/flight-delay', {
        inputs: [
          { distance: 111, hour: 3 },
          { distance: 222, hour: 4 },
        ],
      }),
      postJson(a, '/v1/predict/flight-delay', {
        inputs: [
          { distance: 222, hour: 4 },
          { distance: 333, hour: 5 },
        ],
      }),
    ])
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200])
    const computed = predict.mock.calls.flatMap(([inputs]) => inputs)
    expect(computed).toHaveLength(3)
    // Misses of concurrent requests share model calls (dynamic batching): one or two of them.
    expect(predict.mock.calls.length).toBeLessThanOrEqual(2)
    // The shared row was either joined while in flight or found once stored: never computed twice.
    const counted = a.mlApi.stats.snapshot().models['flight-delay-knn']!
    expect(counted.itemsComputed).toBe(3)
    expect(counted.coalesced + counted.hits).toBe(1)
  })
})

describe('operations routes', () => {
  it('lists the models with their versions (a response cached by @cache/fastify)', async () => {
    const a = await app()
    const first = await a.inject('/v1/models')
    const res = await a.inject('/v1/models')
    expect([first.headers['x-cache'], res.headers['x-cache']]).toEqual(['MISS', 'HIT'])
    expect(res.body).toBe(first.body)
    const ids = res.json<{ data: { id: string; version: string }[] }>().data.map((m) => [m.id, m.version])
    expect(ids).toEqual([
      ['use-lite', models.embeddings.version],
      ['flight-delay-knn', models.flightDelay.version],
    ])
  })

  it('reports health on the memory cache', async () => {
    const res = await (await app()).inject('/healthz')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'ok', cache: 'memory' })
  })

  it('counts hits, misses, items computed and time saved in /cache/stats and /metrics', async () => {
    const a = await app()
    await postJson(a, '/v1/predict/flight-delay', { inputs: [{ distance: 700, hour: 9 }] })
    await postJson(a, '/v1/predict/flight-delay', {
      inputs: [
        { distance: 700, hour: 9 },
        { distance: 800, hour: 9 },
      ],
    })
    const stats = (await a.inject('/cache/stats')).json()
    expect(stats).toMatchObject({
      requests: 2,
      items: 3,
      hits: 1,
      misses: 2,
      itemsComputed: 2,
      cache: { backend: 'memory' },
    })
    expect(stats.hitRatio).toBeCloseTo(1 / 3)
    expect(stats.computeSecondsSaved).toBeGreaterThan(0)
    expect(stats.models['flight-delay-knn']).toMatchObject({
      hits: 1,
      itemsComputed: 2,
      version: models.flightDelay.version,
    })
    expect(stats.models['use-lite']).toMatchObject({ items: 0 })
    const metrics = await a.inject('/metrics')
    expect(metrics.headers['content-type']).toContain('text/plain')
    expect(metrics.body).toContain('model_inference_items_total{model="flight-delay-knn"} 2')
    expect(metrics.body).toContain('ml_cache_hits_total{model="flight-delay-knn"} 1')
    expect(metrics.body).toContain('ml_cache_misses_total{model="flight-delay-knn"} 2')
    expect(metrics.body).toContain('model_inference_items_total{model="use-lite"} 0')
    expect(metrics.body).toMatch(/ml_cache_lookup_duration_seconds_count\{model="flight-delay-knn"\} 2/)
    expect(metrics.body).toContain('ml_cache_backend_errors_total')
    // the cache's own series, from the shared exporter (@cache/prometheus)
    expect(metrics.body).toMatch(/cache_loads_total\{cache="[^"]+"\} \d+/)
    expect(metrics.body).toMatch(/cache_memory_entries\{cache="[^"]+"\} [1-9]/)
  })

  it('generates the OpenAPI document and page from the route schemas', async () => {
    const a = await app()
    const doc = (await a.inject('/docs/json')).json<{ paths: Record<string, unknown> }>()
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/embeddings',
        '/v1/predict/flight-delay',
        '/v1/chat/completions',
        '/v1/models',
        '/healthz',
        '/cache/stats',
        '/metrics',
        '/cache/invalidate',
        '/cache',
      ]),
    )
    const page = await a.inject('/docs/')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('swagger')
  })

  it('serves the dashboard page', async () => {
    const res = await (await app()).inject('/')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.body).toContain('/cache/stats')
    expect(res.body).not.toMatch(/<script[^>]+src=|<link[^>]+href="http/)
    expect(res.body).toContain('<link rel="icon" href="/favicon.svg"')
  })

  it('serves a favicon and the rolling series of the stats', async () => {
    const a = await app({ historyIntervalMs: 20 })
    for (const url of ['/favicon.svg', '/favicon.ico']) {
      const icon = await a.inject(url)
      expect([icon.statusCode, icon.headers['content-type']]).toEqual([200, 'image/svg+xml'])
    }
    await postJson(a, '/v1/predict/flight-delay', { inputs: [{ distance: 444, hour: 4 }] })
    await vi.waitFor(() => expect(a.mlApi.history.points().at(-1)?.itemsComputed).toBe(1))
    const series = (await a.inject('/cache/stats/history')).json()
    expect(series.intervalMs).toBe(20)
    expect(series.points[0]).toMatchObject({ itemsComputed: 0, hits: 0 })
    expect(series.points.at(-1)).toMatchObject({ itemsComputed: 1, misses: 1 })
  })
})

describe('admin routes', () => {
  const invalidate = (a: FastifyInstance, body: unknown, token?: string) =>
    postJson(a, '/cache/invalidate', body, token === undefined ? {} : { authorization: `Bearer ${token}` })

  it('do not exist while ADMIN_TOKEN is unset (404, before reading the body)', async () => {
    const a = await app()
    expect((await invalidate(a, { model: 'use-lite' }, 'x')).statusCode).toBe(404)
    expect((await invalidate(a, '{bad', 'x')).statusCode).toBe(404)
    const del = await a.inject({ method: 'DELETE', url: '/cache' })
    expect(del.statusCode).toBe(404)
    expect(del.json().error.code).toBe('not_found')
  })

  it('need the bearer token', async () => {
    const a = await app({ adminToken: 's3cret' })
    expect((await invalidate(a, { model: 'use-lite' })).statusCode).toBe(401)
    const wrong = await invalidate(a, { model: 'use-lite' }, 'nope')
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json().error.code).toBe('unauthorized')
  })

  it('invalidate one model, by model id or by tag, and clear everything', async () => {
    const a = await app({ adminToken: 's3cret' })
    const row = { inputs: [{ distance: 1234, hour: 10 }] }
    const text = { input: 'invalidate me' }
    await postJson(a, '/v1/predict/flight-delay', row)
    await postJson(a, '/v1/embeddings', text)

    const res = await invalidate(a, { model: 'flight-delay-knn' }, 's3cret')
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ invalidated: ['model:flight-delay-knn'] })
    expect(cacheHeaders(await postJson(a, '/v1/predict/flight-delay', row)).cache).toBe('MISS')
    expect(cacheHeaders(await postJson(a, '/v1/embeddings', text)).cache).toBe('HIT')

    expect((await invalidate(a, { tags: ['model:use-lite'] }, 's3cret')).statusCode).toBe(200)
    expect(cacheHeaders(await postJson(a, '/v1/embeddings', text)).cache).toBe('MISS')

    const cleared = await a.inject({
      method: 'DELETE',
      url: '/cache',
      headers: { authorization: 'Bearer s3cret' },
    })
    expect(cleared.json()).toEqual({ cleared: true })
    expect(cacheHeaders(await postJson(a, '/v1/predict/flight-delay', row)).cache).toBe('MISS')
    expect(cacheHeaders(await postJson(a, '/v1/embeddings', text)).cache).toBe('MISS')

    expect((await invalidate(a, { model: 'nope' }, 's3cret')).statusCode).toBe(400)
    expect((await invalidate(a, {}, 's3cret')).statusCode).toBe(400)
  })
})

describe('model versions', () => {
  it('a new model version never serves the old version’s answers', async () => {
    const a = await app()
    await postJson(a, '/v1/predict/flight-delay', { inputs: [{ distance: 555, hour: 5 }] })
    // Same app and cache, but the model now reports another version (a new fit or new weights).
    vi.spyOn(models.flightDelay, 'version', 'get').mockReturnValue('0000000000000000')
    const res = await postJson(a, '/v1/predict/flight-delay', { inputs: [{ distance: 555, hour: 5 }] })
    expect(cacheHeaders(res)).toEqual({ cache: 'MISS', hits: 0, misses: 1 })
    expect(res.json().modelVersion).toBe('0000000000000000')
  })
})
