import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AppConfig } from '../config.js'

/** A request the mock received. */
export interface MockCall {
  path: string
  body: Record<string, unknown>
  authorization: string | undefined
}

/** A loopback stand-in for an OpenAI-compatible API, following its wire format. */
export interface MockOpenAI {
  /** `http://127.0.0.1:<port>/v1/` */
  readonly baseUrl: string
  /** Every request, in order. */
  readonly calls: MockCall[]
  /** Status to fail the next calls with (0: answer normally). */
  failWith: number
  /** Delay before answering, ms. */
  delayMs: number
  /** Streams send their first chunk, then nothing until the client goes away. */
  stallStreams: boolean
  /** Streams end without their `data: [DONE]` (cut short). */
  truncateStreams: boolean
  close(): Promise<void>
}

/** The vector the mock gives `text`: 8 float32 values derived from its characters. */
export function mockVector(text: string): Float32Array {
  const v = new Float32Array(8)
  for (let i = 0; i < text.length; i++) v[i % 8]! += (text.charCodeAt(i) % 97) / 97 + i / 1000
  return v.map((x) => x / (text.length + 1) + 0.1)
}

/** The app settings that point it at `mock` (one embeddings and one chat model), plus `extra`. */
export function mockUpstreamConfig(mock: MockOpenAI, apiKey: string, extra: Partial<AppConfig> = {}) {
  return {
    upstreamBaseUrl: mock.baseUrl,
    upstreamApiKey: apiKey,
    upstreamEmbeddingModels: ['text-embedding-3-small'],
    upstreamChatModels: ['gpt-4o-mini'],
    ...extra,
  } satisfies Partial<AppConfig>
}

/** Tokens the mock bills for a text: one per word. */
export const mockTokens = (text: string): number => text.split(/\s+/).filter(Boolean).length

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>
}

/**
 * Starts the mock on 127.0.0.1. It requires `Authorization: Bearer <apiKey>`, answers
 * `embeddings` (base64 when asked, float arrays otherwise) and `chat/completions` (JSON or SSE).
 * A chat message containing `EMPTY` gets an empty answer, one containing `BAD` a 400, and an
 * embeddings batch holding a text containing `REFUSE` a 400.
 */
export async function startMockOpenAI(apiKey: string): Promise<MockOpenAI> {
  const calls: MockCall[] = []
  let server: Server
  const mock = {
    baseUrl: '',
    calls,
    failWith: 0,
    delayMs: 0,
    stallStreams: false,
    truncateStreams: false,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
  server = createServer(async (req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    const body = await readJson(req)
    const path = (req.url ?? '').replace(/^\/v1\//, '')
    calls.push({ path, body, authorization: req.headers.authorization })
    if (mock.delayMs > 0) await new Promise((r) => setTimeout(r, mock.delayMs))
    if (req.headers.authorization !== `Bearer ${apiKey}`) {
      return send(401, {
        error: { message: 'Incorrect API key', type: 'invalid_request_error', code: 'invalid_api_key' },
      })
    }
    if (mock.failWith !== 0)
      return send(mock.failWith, { error: { message: 'upstream is sad', type: 'server_error' } })
    if (path === 'embeddings') {
      const inputs = typeof body.input === 'string' ? [body.input] : (body.input as string[])
      if (inputs.some((text) => text.includes('REFUSE'))) {
        return send(400, {
          error: { message: 'input too long', type: 'invalid_request_error', param: 'input', code: null },
        })
      }
      const base64 = body.encoding_format === 'base64'
      const data = inputs.map((text, index) => {
        const v = mockVector(text)
        return {
          object: 'embedding',
          index,
          embedding: base64 ? Buffer.from(v.buffer).toString('base64') : Array.from(v),
        }
      })
      const tokens = inputs.reduce((n, t) => n + mockTokens(t), 0)
      return send(200, {
        object: 'list',
        data,
        model: body.model,
        usage: { prompt_tokens: tokens, total_tokens: tokens },
      })
    }
    if (path === 'chat/completions') {
      const messages = body.messages as { content: string }[]
      const last = String(messages[messages.length - 1]?.content ?? '')
      if (last.includes('BAD'))
        return send(400, { error: { message: 'bad request', type: 'invalid_request_error' } })
      const content = last.includes('EMPTY') ? '' : `echo: ${last}`
      if (body.stream === true) {
        res.writeHead(200, { 'content-type': 'text/event-stream' })
        const head = {
          id: `chatcmpl-${calls.length}`,
          object: 'chat.completion.chunk',
          created: 1,
          model: body.model,
        }
        const event = (delta: Record<string, string>, finish: string | null) =>
          `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`
        for (const [i, piece] of content.split(/(?= )/).entries()) {
          res.write(event(i === 0 ? { role: 'assistant', content: piece } : { content: piece }, null))
          if (mock.stallStreams) return
        }
        res.write(event({}, 'stop'))
        res.end(mock.truncateStreams ? '' : 'data: [DONE]\n\n')
        return
      }
      const usage = { prompt_tokens: 10, completion_tokens: 5, total_tokens: 15 }
      return send(200, {
        id: `chatcmpl-${calls.length}`,
        object: 'chat.completion',
        model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage,
      })
    }
    send(404, { error: { message: 'no such route' } })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  mock.baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`
  return mock
}
