import SwaggerParser from '@apidevtools/swagger-parser'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'
import { loadModels } from './models/load-models.js'

interface Operation {
  responses: Record<string, { headers?: Record<string, unknown>; content?: Record<string, unknown> }>
}
interface Document {
  openapi: string
  paths: Record<string, Record<string, Operation>>
}

/** Every documented route: its error statuses, and the headers of its 200. */
const CONTRACT: Record<string, { statuses: string[]; headers: string[] }> = {
  'post /v1/embeddings': {
    statuses: ['200', '400', '404', '413', '415', '502'],
    headers: ['x-cache', 'x-cache-hits', 'x-cache-misses', 'cache-status', 'x-model-version'],
  },
  'post /v1/predict/flight-delay': {
    statuses: ['200', '400', '413', '415'],
    headers: ['x-cache', 'x-cache-hits', 'x-cache-misses', 'cache-status', 'x-model-version'],
  },
  'post /v1/chat/completions': {
    statuses: ['200', '400', '404', '413', '415', '429', '502', '503'],
    headers: ['x-cache', 'cache-status'],
  },
  'get /v1/models': { statuses: ['200'], headers: ['x-cache', 'age', 'etag'] },
  'get /healthz': { statuses: ['200'], headers: [] },
  'get /cache/stats': { statuses: ['200'], headers: [] },
  'get /cache/stats/history': { statuses: ['200'], headers: [] },
  'get /metrics': { statuses: ['200'], headers: [] },
  'post /cache/invalidate': { statuses: ['200', '400', '401', '404', '413', '415'], headers: [] },
  'post /cache/drop-old-versions': { statuses: ['200', '401', '404'], headers: [] },
  'delete /cache': { statuses: ['200', '401', '404'], headers: [] },
}

let app: FastifyInstance
let doc: Document

beforeAll(async () => {
  app = await buildApp({
    models: await loadModels({ flightsRows: 500 }),
    // The chat and admin routes document themselves whether or not they are switched on.
    config: { upstreamBaseUrl: 'http://127.0.0.1:9/v1', adminToken: 'x' },
  })
  doc = (await app.inject('/docs/json')).json<Document>()
})
afterAll(() => app?.close())

describe('GET /docs/json', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    expect(doc.openapi).toBe('3.1.0')
    // The validator dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined()
  })

  it('documents every route, and nothing else', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    )
    expect(documented.sort()).toEqual(Object.keys(CONTRACT).sort())
    for (const route of documented) {
      const [method, url] = route.split(' ') as [string, string]
      expect(app.hasRoute({ method: method.toUpperCase() as 'GET', url }), route).toBe(true)
    }
  })

  it.each(Object.entries(CONTRACT))('%s: every status and response header', (route, expected) => {
    const [method, path] = route.split(' ') as [string, string]
    const op = doc.paths[path]![method]!
    expect(Object.keys(op.responses).sort()).toEqual([...expected.statuses].sort())
    expect(Object.keys(op.responses['200']!.headers ?? {}).sort()).toEqual([...expected.headers].sort())
    for (const [status, response] of Object.entries(op.responses)) {
      expect(response.content, `${route} ${status} has a body schema`).toBeDefined()
    }
  })
})
