import { availableParallelism } from 'node:os'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from './app.js'
import { FLIGHT_DELAY_ID } from './models/flight-delay-model.js'
import { postJson } from './testing/inject-json.js'

let app: FastifyInstance

beforeAll(async () => {
  // Enough rows that one request's model call yields to the event loop several times: the
  // calls of concurrent requests then overlap, which is what double counting needs.
  app = await buildApp({ config: { flightsRows: 20_000 } })
})
afterAll(() => app?.close())

describe('compute seconds under concurrency', () => {
  it('16 concurrent requests of 32 new rows record at most wall time × cores of compute', async () => {
    const requests = Array.from({ length: 16 }, (_, r) => ({
      inputs: Array.from({ length: 32 }, (_, i) => ({ distance: 100 + r * 32 + i, hour: (i % 24) + 0.5 })),
    }))
    const started = performance.now()
    const answers = await Promise.all(requests.map((body) => postJson(app, '/v1/predict/flight-delay', body)))
    const wall = (performance.now() - started) / 1000
    expect(answers.map((a) => a.statusCode)).toEqual(requests.map(() => 200))
    const counted = app.mlApi.stats.snapshot().models[FLIGHT_DELAY_ID]!
    expect(counted.itemsComputed).toBe(16 * 32)
    expect(counted.computeSeconds).toBeGreaterThan(0)
    expect(counted.computeSeconds).toBeLessThanOrEqual(wall * availableParallelism())
    // One model's busy time cannot exceed the wall time it was measured in.
    expect(counted.computeSeconds).toBeLessThanOrEqual(wall)
    const metrics = (await app.inject('/metrics')).body
    const total = Number(/model_inference_seconds_total\{model="flight-delay-knn"\} (\S+)/.exec(metrics)?.[1])
    expect(total).toBeCloseTo(counted.computeSeconds, 6)
  })
})
