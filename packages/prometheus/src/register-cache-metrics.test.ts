import { createCache, MemoryStore } from '@cache/core'
import { invalidOption } from '@cache/test-utils'
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { registerCacheMetrics } from './register-cache-metrics.js'

/** Parses Prometheus text exposition into `name{a="1",b="2"}` → value (labels sorted). */
function parseMetrics(text: string): Map<string, number> {
  const out = new Map<string, number>()
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (m === null) throw new Error(`not a metric line: ${line}`)
    const labels = (m[2] ?? '')
      .split(/,(?=\w+=")/)
      .filter(Boolean)
      .sort()
      .join(',')
    out.set(labels === '' ? m[1]! : `${m[1]}{${labels}}`, Number(m[3]))
  }
  return out
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('registerCacheMetrics', () => {
  it('refuses unknown options, naming the near miss', async () => {
    const registry = new Registry()
    expect(
      await invalidOption(() => registerCacheMetrics(createCache(), { registy: registry } as never)),
    ).toMatch(/Unknown option "registy" in registerCacheMetrics options: did you mean "registry"/)
    expect(registry.getMetricsAsArray()).toEqual([])
  })

  it('exports hits, misses, stale, errors by tier, loads and their duration, bytes and breaker state', async () => {
    const registry = new Registry()
    const cache = createCache({ namespace: 'app', store: new MemoryStore(), grace: '1m' })
    registerCacheMetrics(cache, { registry })
    await cache.set('a', 'x'.repeat(100))
    await cache.get('a')
    await cache.get('nope')
    await cache.getOrSet('slow', async () => {
      await sleep(20)
      return 1
    })
    await expect(
      cache.getOrSet('bad', () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow('boom')
    await cache.set('old', 1, { ttl: 1 })
    await sleep(5)
    await cache.getOrSet('old', () => 2, { staleWhileRevalidate: true })

    const m = parseMetrics(await registry.metrics())
    expect(m.get('cache_requests_total{cache="app",result="hit"}')).toBe(1)
    expect(m.get('cache_requests_total{cache="app",result="stale"}')).toBe(1)
    expect(m.get('cache_requests_total{cache="app",result="miss"}')).toBe(3)
    expect(m.get('cache_tier_hits_total{cache="app",tier="memory"}')).toBe(1)
    expect(m.get('cache_tier_misses_total{cache="app",tier="remote"}')).toBeGreaterThanOrEqual(3)
    expect(m.get('cache_tier_errors_total{cache="app",tier="remote"}')).toBe(0)
    expect(m.get('cache_loads_total{cache="app"}')).toBeGreaterThanOrEqual(2)
    expect(m.get('cache_load_errors_total{cache="app"}')).toBe(1)
    expect(m.get('cache_load_duration_seconds_count{cache="app",outcome="ok"}')).toBeGreaterThanOrEqual(1)
    expect(m.get('cache_load_duration_seconds_count{cache="app",outcome="error"}')).toBe(1)
    expect(m.get('cache_load_duration_seconds_sum{cache="app",outcome="ok"}')).toBeGreaterThanOrEqual(0.015)
    expect(m.get('cache_memory_entries{cache="app"}')).toBeGreaterThanOrEqual(3)
    expect(m.get('cache_memory_bytes{cache="app"}')).toBeGreaterThan(100)
    expect(m.get('cache_remote_breaker{cache="app",state="closed"}')).toBe(1)
    expect(m.get('cache_remote_breaker{cache="app",state="open"}')).toBe(0)
    expect(m.get('cache_hit_ratio{cache="app"}')).toBeCloseTo(2 / 5)

    // A second scrape does not count twice; new activity adds up.
    await cache.get('a')
    const again = parseMetrics(await registry.metrics())
    expect(again.get('cache_requests_total{cache="app",result="hit"}')).toBe(2)
    expect(again.get('cache_requests_total{cache="app",result="miss"}')).toBe(3)
  })

  it('labels several caches on one registry by root namespace, and forgets one on unregister', async () => {
    const registry = new Registry()
    const a = createCache({ namespace: 'a' })
    const b = createCache({ namespace: 'b', memory: false })
    registerCacheMetrics(a, { registry })
    const mb = registerCacheMetrics(b, { registry, loadDuration: false })
    await a.get('x')
    await b.get('x')
    await b.get('y')
    const m = parseMetrics(await registry.metrics())
    expect(m.get('cache_requests_total{cache="a",result="miss"}')).toBe(1)
    expect(m.get('cache_requests_total{cache="b",result="miss"}')).toBe(2)
    expect(m.has('cache_remote_breaker{cache="a",state="closed"}')).toBe(false)
    mb.unregister()
    expect(parseMetrics(await registry.metrics()).get('cache_memory_entries{cache="b"}')).toBeUndefined()
  })
})
