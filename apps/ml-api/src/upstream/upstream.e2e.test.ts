import type { FastifyInstance } from 'fastify'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { buildApp } from '../app.js'
import { type LocalModels, loadModels } from '../models/load-models.js'
import {
  type MockOpenAI,
  mockTokens,
  mockUpstreamConfig,
  mockVector,
  startMockOpenAI,
} from '../testing/mock-openai.js'
import { base64ToFloat32 } from './float32-base64.js'

const KEY = 'sk-test'
const PRICE = 2 // per 1k tokens: large, so the figures are easy to read
let models: LocalModels
let upstream: MockOpenAI
let app: FastifyInstance
let base: string

beforeAll(async () => {
  ;[models, upstream] = await Promise.all([loadModels({ flightsRows: 500 }), startMockOpenAI(KEY)])
})
afterAll(() => upstream?.close())

beforeEach(async () => {
  upstream.calls.length = 0
  upstream.failWith = 0
  upstream.delayMs = 0
  app = await buildApp({
    models,
    config: mockUpstreamConfig(upstream, KEY, { pricePer1kTokens: PRICE }),
  })
  base = await app.listen({ port: 0, host: '127.0.0.1' })
})
afterEach(() => app?.close())

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  const text = await res.text()
  return { res, text, json: () => JSON.parse(text), cache: res.headers.get('x-cache') }
}

const embeddingCalls = () => upstream.calls.filter((c) => c.path === 'embeddings')
const chatCalls = () => upstream.calls.filter((c) => c.path === 'chat/completions')

describe('paid upstream: embeddings', () => {
  it('sends only the misses upstream, in one base64 call with the API key', async () => {
    const first = await post('/v1/embeddings', { input: ['alpha beta', 'gamma'] })
    expect(first.res.status).toBe(200)
    expect(first.cache).toBe('MISS')
    const body = first.json()
    expect(body.model).toBe('text-embedding-3-small')
    expect(body.data[0].embedding).toEqual(Array.from(mockVector('alpha beta')))
    expect(body.data[1].embedding).toEqual(Array.from(mockVector('gamma')))
    expect(body.usage.prompt_tokens).toBe(3)

    const second = await post('/v1/embeddings', { input: ['gamma', 'delta epsilon', 'alpha beta'] })
    expect(second.cache).toBe('PARTIAL')
    expect(second.res.headers.get('x-cache-hits')).toBe('2')
    expect(embeddingCalls().map((c) => c.body)).toEqual([
      { model: 'text-embedding-3-small', input: ['alpha beta', 'gamma'], encoding_format: 'base64' },
      { model: 'text-embedding-3-small', input: ['delta epsilon'], encoding_format: 'base64' },
    ])
    expect(upstream.calls.every((c) => c.authorization === `Bearer ${KEY}`)).toBe(true)
  })

  it('answers base64 to a client asking for it (the openai client default), floats otherwise', async () => {
    // What the official openai client sends for `embeddings.create({ model, input })`.
    const asClient = await post('/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: 'the openai client',
      encoding_format: 'base64',
    })
    const encoded = asClient.json().data[0].embedding
    expect(typeof encoded).toBe('string')
    expect(base64ToFloat32(encoded)).toEqual(mockVector('the openai client'))
    const floats = await post('/v1/embeddings', {
      model: 'text-embedding-3-small',
      input: 'the openai client',
    })
    expect(floats.cache).toBe('HIT')
    expect(floats.json().data[0].embedding).toEqual(Array.from(mockVector('the openai client')))
    expect(embeddingCalls()).toHaveLength(1)
  })

  it('counts the tokens and money the hits saved', async () => {
    const texts = ['one two three', 'four five']
    await post('/v1/embeddings', { input: texts })
    await post('/v1/embeddings', { input: texts })
    const stats = (await (await fetch(`${base}/cache/stats`)).json()) as Record<string, never>
    const tokens = texts.reduce((n, t) => n + mockTokens(t), 0)
    expect(stats).toMatchObject({ tokensSaved: tokens, hits: 2, itemsComputed: 2 })
    expect(stats.moneySaved).toBeCloseTo((tokens * PRICE) / 1000)
    expect(stats.moneySpent).toBeCloseTo((tokens * PRICE) / 1000)
    const metrics = await (await fetch(`${base}/metrics`)).text()
    expect(metrics).toContain(`ml_cache_tokens_saved_total{model="text-embedding-3-small"} ${tokens}`)
    expect(metrics).toContain(
      `ml_cache_money_saved_total{model="text-embedding-3-small"} ${(tokens * PRICE) / 1000}`,
    )
    expect(metrics).toContain('model_inference_items_total{model="text-embedding-3-small"} 2')
  })

  it('answers 502 on an upstream failure, stores nothing, and recovers', async () => {
    upstream.failWith = 500
    const failed = await post('/v1/embeddings', { input: 'fragile' })
    expect(failed.res.status).toBe(502)
    expect(failed.json().error.code).toBe('upstream_error')
    upstream.failWith = 0
    const ok = await post('/v1/embeddings', { input: 'fragile' })
    expect(ok.res.status).toBe(200)
    expect(ok.cache).toBe('MISS')
    expect(embeddingCalls()).toHaveLength(2)
  })

  it('fails only the request whose input the upstream refuses, not those batched with it', async () => {
    const [good, bad] = await Promise.all([
      post('/v1/embeddings', { input: ['fine text', 'more fine text'] }),
      post('/v1/embeddings', { input: 'REFUSE this one' }),
    ])
    expect(good.res.status).toBe(200)
    expect(good.json().data).toHaveLength(2)
    expect(bad.res.status).toBe(400)
    expect(bad.json().error).toMatchObject({ code: 'upstream_error', param: 'input' })
  })

  it('still serves the local model by name, and refuses other models without calling upstream', async () => {
    const local = await post('/v1/embeddings', { model: 'use-lite', input: 'local please' })
    expect(local.json().data[0].embedding).toHaveLength(512)
    const unknown = await post('/v1/embeddings', { model: 'text-embedding-ada-002', input: 'x' })
    expect(unknown.res.status).toBe(404)
    expect(unknown.json().error.code).toBe('model_not_found')
    expect(upstream.calls).toHaveLength(0)
  })
})

describe('paid upstream: chat completions', () => {
  const chat = (content: string, extra: Record<string, unknown> = {}) => ({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content }],
    ...extra,
  })

  it('caches temperature 0, whatever the key order, and counts tokens and money saved', async () => {
    const first = await post('/v1/chat/completions', chat('hi there', { temperature: 0 }))
    expect(first.cache).toBe('MISS')
    expect(first.json().choices[0].message.content).toBe('echo: hi there')
    const { messages, model } = chat('hi there')
    const second = await post('/v1/chat/completions', { temperature: 0, messages, model, user: 'someone' })
    expect(second.cache).toBe('HIT')
    expect(second.json()).toEqual(first.json())
    expect(chatCalls()).toHaveLength(1)
    const stats = (await (await fetch(`${base}/cache/stats`)).json()) as {
      models: Record<string, { tokensSaved: number; moneySaved: number }>
    }
    expect(stats.models['gpt-4o-mini']).toMatchObject({ tokensSaved: 15 })
    expect(stats.models['gpt-4o-mini']!.moneySaved).toBeCloseTo((15 * PRICE) / 1000)
  })

  it('does not cache a non-zero temperature unless the request opts in', async () => {
    const a = await post('/v1/chat/completions', chat('creative', { temperature: 0.7 }))
    const b = await post('/v1/chat/completions', chat('creative', { temperature: 0.7 }))
    expect([a.cache, b.cache]).toEqual(['BYPASS', 'BYPASS'])
    expect(chatCalls()).toHaveLength(2)
    const optIn = { 'x-cache-opt-in': 'true' }
    const c = await post('/v1/chat/completions', chat('creative', { temperature: 0.7 }), optIn)
    const d = await post('/v1/chat/completions', chat('creative', { temperature: 0.7 }), optIn)
    expect([c.cache, d.cache]).toEqual(['MISS', 'HIT'])
    expect(chatCalls()).toHaveLength(3)
  })

  it('never stores empty answers or errors', async () => {
    for (let i = 0; i < 2; i++) {
      const empty = await post('/v1/chat/completions', chat('EMPTY please', { temperature: 0 }))
      expect(empty.res.status).toBe(200)
      expect(empty.cache).toBe('MISS')
    }
    for (let i = 0; i < 2; i++) {
      const bad = await post('/v1/chat/completions', chat('BAD request', { temperature: 0 }))
      // The upstream's 400 is the client's fault: relayed with its status, in our error shape.
      expect(bad.res.status).toBe(400)
      expect(bad.json().error).toMatchObject({
        code: 'upstream_error',
        message: expect.stringContaining('bad request'),
      })
    }
    upstream.failWith = 503
    expect((await post('/v1/chat/completions', chat('down', { temperature: 0 }))).res.status).toBe(502)
    upstream.failWith = 0
    expect((await post('/v1/chat/completions', chat('down', { temperature: 0 }))).cache).toBe('MISS')
    expect(chatCalls()).toHaveLength(6)
  })

  it('passes streams that are not deterministic through uncached', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await post('/v1/chat/completions', chat('stream me', { temperature: 0.7, stream: true }))
      expect(res.res.status).toBe(200)
      expect(res.cache).toBe('BYPASS')
      expect(res.res.headers.get('content-type')).toContain('text/event-stream')
      expect(res.text).toContain('data: [DONE]')
      expect(res.text).toContain('"content":" stream"')
    }
    expect(chatCalls()).toHaveLength(2)
  })

  it('sends concurrent identical requests upstream once', async () => {
    upstream.delayMs = 200
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => post('/v1/chat/completions', chat('together', { temperature: 0 }))),
    )
    expect(answers.map((a) => a.res.status)).toEqual([200, 200, 200, 200, 200])
    expect(new Set(answers.map((a) => a.text)).size).toBe(1)
    expect(chatCalls()).toHaveLength(1)
  })

  it('refuses a model outside the allow-list', async () => {
    const res = await post('/v1/chat/completions', {
      model: 'gpt-5',
      messages: [{ role: 'user', content: 'x' }],
    })
    expect(res.res.status).toBe(404)
    expect(res.json().error.code).toBe('model_not_found')
    expect(upstream.calls).toHaveLength(0)
  })
})

describe('without an upstream', () => {
  it('answers chat completions with 503 upstream_not_configured', async () => {
    const local = await buildApp({ models })
    try {
      const res = await local.inject({
        method: 'POST',
        url: '/v1/chat/completions',
        headers: { 'content-type': 'application/json' },
        payload: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] },
      })
      expect(res.statusCode).toBe(503)
      expect(res.json().error.code).toBe('upstream_not_configured')
    } finally {
      await local.close()
    }
  })
})
