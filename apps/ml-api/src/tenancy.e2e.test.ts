import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppConfig } from './config.js'
import { type LocalModels, loadModels } from './models/load-models.js'
import { type ListeningApp, listenApp } from './testing/listen-app.js'
import { type MockOpenAI, mockUpstreamConfig, startMockOpenAI } from './testing/mock-openai.js'

const KEY = 'sk-upstream'
let models: LocalModels
let upstream: MockOpenAI

beforeAll(async () => {
  ;[models, upstream] = await Promise.all([loadModels({ flightsRows: 500 }), startMockOpenAI(KEY)])
})
afterAll(() => upstream?.close())

async function withApp(config: Partial<AppConfig>, run: (url: string) => Promise<void>): Promise<void> {
  const server: ListeningApp = await listenApp({ models, config: mockUpstreamConfig(upstream, KEY, config) })
  try {
    await run(server.url)
  } finally {
    await server.app.close()
  }
}

const chatCalls = () => upstream.calls.filter((c) => c.path === 'chat/completions').length
const embeddingCalls = () => upstream.calls.filter((c) => c.path === 'embeddings').length

async function chat(
  url: string,
  apiKey: string,
  extra: Record<string, unknown> = {},
): Promise<string | null> {
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      temperature: 0,
      messages: [{ role: 'user', content: 'tenant question' }],
      ...extra,
    }),
  })
  await res.arrayBuffer()
  return res.headers.get('x-cache')
}

describe('tenancy of chat completions', () => {
  it('shares answers across API keys and users by default', async () => {
    await withApp({}, async (url) => {
      const before = chatCalls()
      expect(await chat(url, 'sk-alice', { user: 'a' })).toBe('MISS')
      expect(await chat(url, 'sk-bob', { user: 'b' })).toBe('HIT')
      expect(chatCalls() - before).toBe(1)
    })
  })

  it('CHAT_CACHE_PARTITION=api-key: one partition per API key', async () => {
    await withApp({ chatCachePartition: 'api-key' }, async (url) => {
      const before = chatCalls()
      expect(await chat(url, 'sk-alice')).toBe('MISS')
      expect(await chat(url, 'sk-bob')).toBe('MISS')
      expect(await chat(url, 'sk-alice', { user: 'someone else' })).toBe('HIT')
      expect(await chat(url, 'sk-bob')).toBe('HIT')
      expect(chatCalls() - before).toBe(2)
    })
  })

  it('CHAT_CACHE_PARTITION=user: one partition per user', async () => {
    await withApp({ chatCachePartition: 'user' }, async (url) => {
      const before = chatCalls()
      expect(await chat(url, 'sk-alice', { user: 'u1' })).toBe('MISS')
      expect(await chat(url, 'sk-alice', { user: 'u2' })).toBe('MISS')
      expect(await chat(url, 'sk-bob', { user: 'u1' })).toBe('HIT')
      expect(chatCalls() - before).toBe(2)
    })
  })

  it('keeps embeddings shared unless MODEL_CACHE_PARTITION says otherwise', async () => {
    const embed = async (url: string, apiKey: string) => {
      const res = await fetch(`${url}/v1/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${apiKey}` },
        body: JSON.stringify({ input: 'tenant text' }),
      })
      await res.arrayBuffer()
      return res.headers.get('x-cache')
    }
    await withApp({ chatCachePartition: 'api-key' }, async (url) => {
      const before = embeddingCalls()
      expect([await embed(url, 'sk-alice'), await embed(url, 'sk-bob')]).toEqual(['MISS', 'HIT'])
      expect(embeddingCalls() - before).toBe(1)
    })
    await withApp({ modelCachePartition: 'api-key' }, async (url) => {
      const before = embeddingCalls()
      expect([
        await embed(url, 'sk-alice'),
        await embed(url, 'sk-bob'),
        await embed(url, 'sk-alice'),
      ]).toEqual(['MISS', 'MISS', 'HIT'])
      expect(embeddingCalls() - before).toBe(2)
    })
  })
})
