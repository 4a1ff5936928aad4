import type { FastifyInstance } from 'fastify'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { buildApp } from './app.js'
import type { AppConfig } from './config.js'
import { type LocalModels, loadModels } from './models/load-models.js'
import { cacheHeaders, postJson } from './testing/inject-json.js'

let models: LocalModels
const apps: FastifyInstance[] = []

beforeAll(async () => {
  models = await loadModels({ flightsRows: 500 })
})
afterEach(async () => {
  vi.restoreAllMocks()
  await Promise.all(apps.splice(0).map((a) => a.close()))
})

async function app(config: Partial<AppConfig> = {}): Promise<FastifyInstance> {
  const built = await buildApp({ models, config: { adminToken: 'ops', ...config } })
  apps.push(built)
  return built
}

const row = (distance: number) => ({ inputs: [{ distance, hour: 9 }] })
const drop = (a: FastifyInstance) =>
  a.inject({ method: 'POST', url: '/cache/drop-old-versions', headers: { authorization: 'Bearer ops' } })

describe('model lifecycle', () => {
  it('serves a version override from MODEL_VERSIONS, chat models included', async () => {
    const config = {
      modelVersions: { 'flight-delay-knn': 'ops-7', 'gpt-4o-mini': 'snapshot-2' },
      upstreamBaseUrl: 'http://127.0.0.1:9/v1/',
      upstreamChatModels: ['gpt-4o-mini'],
    }
    const a = await app(config)
    const res = await postJson(a, '/v1/predict/flight-delay', row(400))
    expect(res.headers['x-model-version']).toBe('ops-7')
    expect(res.json().modelVersion).toBe('ops-7')
    const listed = (await a.inject('/v1/models')).json<{ data: { id: string; version: string }[] }>().data
    expect(Object.fromEntries(listed.map((m) => [m.id, m.version]))).toMatchObject({
      'flight-delay-knn': 'ops-7',
      'use-lite': models.embeddings.version,
      'gpt-4o-mini': 'snapshot-2',
    })
    // The chat key changes with the chat model's version: a new snapshot never serves the old one's answers.
    const plain = await app({ ...config, modelVersions: {} })
    const body = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] }
    expect(a.mlApi.chat!.key(body)).not.toBe(plain.mlApi.chat!.key(body))
  })

  it('drops the answers of older versions on the admin call, and only those', async () => {
    const a = await app()
    await postJson(a, '/v1/predict/flight-delay', row(600))
    await postJson(a, '/v1/embeddings', { input: 'kept' })
    const served = models.flightDelay.version
    // A new version is served: the answers of the old one linger until dropped.
    vi.spyOn(models.flightDelay, 'version', 'get').mockReturnValue('0000000000000001')
    const res = await drop(a)
    expect(res.statusCode).toBe(200)
    expect(res.json().dropped).toMatchObject({ 'flight-delay-knn': [served], 'use-lite': [] })
    vi.restoreAllMocks()
    // Had they lingered, the old version would hit here.
    expect(cacheHeaders(await postJson(a, '/v1/predict/flight-delay', row(600))).cache).toBe('MISS')
    expect(cacheHeaders(await postJson(a, '/v1/embeddings', { input: 'kept' })).cache).toBe('HIT')
    expect((await drop(a)).json().dropped['flight-delay-knn']).toEqual(['0000000000000001'])
  })

  it('the admin call needs the token', async () => {
    const a = await app()
    expect((await a.inject({ method: 'POST', url: '/cache/drop-old-versions' })).statusCode).toBe(401)
  })
})
