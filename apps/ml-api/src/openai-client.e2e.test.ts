import OpenAI from 'openai'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadModels } from './models/load-models.js'
import { type ListeningApp, listenApp } from './testing/listen-app.js'
import { type MockOpenAI, mockUpstreamConfig, mockVector, startMockOpenAI } from './testing/mock-openai.js'

// The official client against the server on a real socket: what its users run.
const KEY = 'sk-upstream'
let upstream: MockOpenAI
let server: ListeningApp
let client: OpenAI

beforeAll(async () => {
  const [models, mock] = await Promise.all([loadModels({ flightsRows: 500 }), startMockOpenAI(KEY)])
  upstream = mock
  server = await listenApp({
    models,
    config: mockUpstreamConfig(upstream, KEY),
  })
  // No retries: a retried error would hide what the first answer was.
  client = new OpenAI({ apiKey: 'sk-client', baseURL: `${server.url}/v1`, maxRetries: 0 })
})
afterAll(async () => {
  await server?.app.close()
  await upstream?.close()
})

describe('the openai npm client', () => {
  it('gets embeddings from the local model and the upstream, the second time from the cache', async () => {
    const local = await client.embeddings.create({ model: 'use-lite', input: ['hello', 'world'] })
    expect(local.data.map((d) => d.index)).toEqual([0, 1])
    expect(local.data[0]!.embedding).toHaveLength(512)
    const { data, response } = await client.embeddings
      .create({ model: 'use-lite', input: ['world', 'hello'] })
      .withResponse()
    expect(response.headers.get('x-cache')).toBe('HIT')
    expect(data.data[0]!.embedding).toEqual(local.data[1]!.embedding)

    const paid = await client.embeddings.create({ model: 'text-embedding-3-small', input: 'alpha' })
    expect(paid.data[0]!.embedding).toEqual(Array.from(mockVector('alpha')))
  })

  it('sees invalid requests as BadRequestError with the field and the real problem', async () => {
    const error = await client.embeddings.create({ model: 'use-lite', input: [] }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    const bad = error as InstanceType<typeof OpenAI.BadRequestError>
    expect(bad.status).toBe(400)
    expect(bad.type).toBe('invalid_request_error')
    expect(bad.param).toBe('input')
    expect(bad.code).toBe('invalid_input')
    expect(bad.message).toContain('must not be empty')

    const flight = await client
      .post('/predict/flight-delay', { body: { inputs: [{ distance: 500, hour: 24 }] } })
      .catch((e: unknown) => e)
    expect(flight).toBeInstanceOf(OpenAI.BadRequestError)
    expect((flight as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('inputs[0].hour')
  })

  it('sees an unknown model as NotFoundError model_not_found', async () => {
    const error = await client.embeddings.create({ model: 'gpt-9', input: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found')
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).param).toBe('model')
  })

  it('gets chat completions, a deterministic one once from the upstream', async () => {
    const calls = () => upstream.calls.filter((c) => c.path === 'chat/completions').length
    const before = calls()
    const ask = () =>
      client.chat.completions
        .create({ model: 'gpt-4o-mini', temperature: 0, messages: [{ role: 'user', content: 'hi client' }] })
        .withResponse()
    const first = await ask()
    const second = await ask()
    expect(first.data.choices[0]!.message.content).toBe('echo: hi client')
    expect(second.data).toEqual(first.data)
    expect([first.response.headers.get('x-cache'), second.response.headers.get('x-cache')]).toEqual([
      'MISS',
      'HIT',
    ])
    expect(calls() - before).toBe(1)
  })

  it('sees an upstream failure as an APIError with the status the server gives', async () => {
    upstream.failWith = 503
    try {
      const error = await client.chat.completions
        .create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'down' }] })
        .catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OpenAI.InternalServerError)
      expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502)
      expect((error as InstanceType<typeof OpenAI.APIError>).type).toBe('server_error')
    } finally {
      upstream.failWith = 0
    }
  })
})
