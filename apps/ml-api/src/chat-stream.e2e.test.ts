import OpenAI from 'openai'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadModels } from './models/load-models.js'
import { type ListeningApp, listenApp } from './testing/listen-app.js'
import { type MockOpenAI, mockUpstreamConfig, startMockOpenAI } from './testing/mock-openai.js'

const KEY = 'sk-stream'
let upstream: MockOpenAI
let server: ListeningApp

beforeAll(async () => {
  const [models, mock] = await Promise.all([loadModels({ flightsRows: 500 }), startMockOpenAI(KEY)])
  upstream = mock
  server = await listenApp({ models, config: mockUpstreamConfig(upstream, KEY) })
})
afterAll(async () => {
  await server?.app.close()
  await upstream?.close()
})
beforeEach(() => {
  upstream.stallStreams = false
  upstream.truncateStreams = false
  upstream.failWith = 0
})

const calls = () => upstream.calls.filter((c) => c.path === 'chat/completions').length
const body = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-4o-mini',
  temperature: 0,
  messages: [{ role: 'user', content }],
  ...extra,
})

async function ask(content: string, extra: Record<string, unknown> = {}, signal?: AbortSignal) {
  const res = await fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body(content, extra)),
    signal,
  })
  return {
    res,
    cache: res.headers.get('x-cache'),
    status: res.headers.get('cache-status'),
    text: await res.text(),
  }
}

/** The JSON payloads of an SSE body, and whether it ended with [DONE]. */
function events(text: string): { chunks: unknown[]; done: boolean } {
  const data = text
    .split('\n\n')
    .filter((e) => e.startsWith('data: '))
    .map((e) => e.slice(6))
  return {
    chunks: data.filter((d) => d !== '[DONE]').map((d) => JSON.parse(d)),
    done: data.at(-1) === '[DONE]',
  }
}

describe('cached streams (temperature 0)', () => {
  it('records a stream as it passes through, then replays it as SSE or answers it as JSON', async () => {
    const before = calls()
    const first = await ask('stream once', { stream: true })
    expect([first.cache, first.status]).toEqual(['MISS', 'ml-api; fwd=uri-miss'])
    expect(first.res.headers.get('content-type')).toContain('text/event-stream')
    const recorded = events(first.text)
    expect(recorded.done).toBe(true)

    const again = await ask('stream once', { stream: true })
    expect([again.cache, again.status]).toEqual(['HIT', 'ml-api; hit'])
    expect(again.res.headers.get('content-type')).toContain('text/event-stream')
    // The same chunks, in the same format.
    expect(events(again.text)).toEqual(recorded)

    const json = await ask('stream once')
    expect(json.cache).toBe('HIT')
    expect(JSON.parse(json.text)).toMatchObject({
      object: 'chat.completion',
      choices: [
        { index: 0, message: { role: 'assistant', content: 'echo: stream once' }, finish_reason: 'stop' },
      ],
    })
    expect(calls() - before).toBe(1)
  })

  it('streams a stored non-streaming answer in the chunk format the openai client reads', async () => {
    const client = new OpenAI({ apiKey: 'x', baseURL: `${server.url}/v1`, maxRetries: 0 })
    const before = calls()
    const completion = await client.chat.completions.create(body('json first') as never)
    expect((completion as OpenAI.ChatCompletion).choices[0]!.message.content).toBe('echo: json first')
    for (let i = 0; i < 2; i++) {
      const stream = await client.chat.completions.create({ ...body('json first'), stream: true } as never)
      let text = ''
      for await (const chunk of stream as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) {
        text += chunk.choices[0]?.delta.content ?? ''
      }
      expect(text).toBe('echo: json first')
    }
    expect(calls() - before).toBe(1)
  })

  it('never stores a stream the client aborted', async () => {
    upstream.stallStreams = true
    const before = calls()
    const controller = new AbortController()
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body('abort me', { stream: true })),
      signal: controller.signal,
    })
    const reader = res.body!.getReader()
    await reader.read() // the first chunk arrived: the stream is under way
    controller.abort()
    upstream.stallStreams = false
    const next = await ask('abort me', { stream: true })
    expect(next.cache).toBe('MISS')
    expect(events(next.text).done).toBe(true)
    expect(calls() - before).toBe(2)
  })

  it('never stores a stream cut short or failed', async () => {
    const before = calls()
    upstream.truncateStreams = true
    const cut = await ask('cut me', { stream: true })
    expect(events(cut.text).done).toBe(false)
    upstream.truncateStreams = false
    upstream.failWith = 503
    expect((await ask('cut me', { stream: true })).res.status).toBe(502)
    upstream.failWith = 0
    expect((await ask('cut me', { stream: true })).cache).toBe('MISS')
    expect((await ask('cut me', { stream: true })).cache).toBe('HIT')
    expect(calls() - before).toBe(3)
  })
})
