import { createCache } from '@cache/core'
import { instrumentCache } from '@cache/core/trace'
import { describe, expect, it } from 'vitest'
import { type SpanLike, traceWithOpenTelemetry } from './trace-with-open-telemetry.js'

describe('traceWithOpenTelemetry', () => {
  it('turns get, set and load into OpenTelemetry spans through diagnostics_channel', async () => {
    const spans: { name: string; attributes: Record<string, unknown>; status?: number; ended: boolean }[] = []
    const tracer = {
      startSpan(
        name: string,
        options?: { attributes?: Record<string, string | number | boolean> },
      ): SpanLike {
        const span = {
          name,
          attributes: { ...options?.attributes } as Record<string, unknown>,
          ended: false,
        } as (typeof spans)[number]
        spans.push(span)
        return {
          setAttribute: (k, v) => {
            span.attributes[k] = v
          },
          recordException: () => {},
          setStatus: (s) => {
            span.status = s.code
          },
          end: () => {
            span.ended = true
          },
        }
      },
    }
    const cache = instrumentCache(createCache({ namespace: 'traced' }))
    const stop = traceWithOpenTelemetry(tracer)
    try {
      await cache.set('k', 1)
      await cache.get('k')
      await cache.namespace('child').get('missing')
      await cache.getOrSet('loaded', async () => 3)
      await expect(
        cache.getOrSet('failing', () => {
          throw new Error('nope')
        }),
      ).rejects.toThrow()
    } finally {
      stop()
    }
    await cache.get('after-stop')
    expect(spans.map((s) => s.name)).toEqual([
      'cache.set',
      'cache.get',
      'cache.get',
      'cache.load',
      'cache.load',
    ])
    expect(spans.every((s) => s.ended)).toBe(true)
    expect(spans[1]!.attributes).toMatchObject({
      'cache.hit': true,
      'cache.key': 'traced:k',
      'cache.name': 'traced',
    })
    expect(spans[2]!.attributes).toMatchObject({ 'cache.hit': false, 'cache.namespace': 'traced/child' })
    expect(spans[4]!.status).toBe(2)
  })
})
