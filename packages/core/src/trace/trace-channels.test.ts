import diagnostics from 'node:diagnostics_channel'
import { describe, expect, it } from 'vitest'
import { createCache } from '../create-cache.js'
import { CACHE_CHANNELS, type CacheTraceContext, instrumentCache } from './trace-channels.js'

/** Subscribes to every cache channel; returns what was published and a function that stops. */
function listen() {
  const seen: { event: string; operation: string; namespace: string; key: string; result?: unknown }[] = []
  const stops = Object.values(CACHE_CHANNELS).map((name) => {
    const channel = diagnostics.tracingChannel<unknown, CacheTraceContext>(name)
    const record = (event: string) => (ctx: CacheTraceContext) => {
      const { operation, namespace, key } = ctx
      seen.push({ event, operation, namespace, key, ...('result' in ctx ? { result: ctx.result } : {}) })
    }
    const handlers = {
      start: record('start'),
      end() {},
      asyncStart() {},
      asyncEnd: record('asyncEnd'),
      error: record('error'),
    }
    channel.subscribe(handlers)
    return () => channel.unsubscribe(handlers)
  })
  return {
    seen,
    stop: () => {
      for (const stop of stops) stop()
    },
  }
}

describe('instrumentCache', () => {
  it('publishes get, set and loader runs, on namespaces made later too', async () => {
    const cache = createCache({ namespace: 'traced' })
    expect(instrumentCache(cache)).toBe(cache)
    // Idempotent: a second call must not wrap twice (each operation would publish twice).
    instrumentCache(cache)
    const { seen, stop } = listen()
    try {
      await cache.set('k', 1)
      await cache.get('k')
      await cache.namespace('child').get('gone')
      await cache.getOrSet('loaded', async () => 3)
      await expect(
        cache.getOrSet('failing', () => {
          throw new Error('nope')
        }),
      ).rejects.toThrow('nope')
    } finally {
      stop()
    }
    await cache.get('after-stop')
    expect(seen.map((e) => `${e.event} ${e.operation} ${e.namespace} ${e.key}`)).toEqual([
      'start set traced traced:k',
      'asyncEnd set traced traced:k',
      'start get traced traced:k',
      'asyncEnd get traced traced:k',
      'start get traced/child traced/child:gone',
      'asyncEnd get traced/child traced/child:gone',
      'start load traced traced:loaded',
      'asyncEnd load traced traced:loaded',
      'start load traced traced:failing',
      'error load traced traced:failing',
      'asyncEnd load traced traced:failing',
    ])
    expect(seen[3]!.result).toBe(1)
  })

  it('leaves a cache that is not instrumented silent', async () => {
    const { seen, stop } = listen()
    try {
      await createCache({ namespace: 'plain' }).getOrSet('k', () => 1)
    } finally {
      stop()
    }
    expect(seen).toEqual([])
  })
})
