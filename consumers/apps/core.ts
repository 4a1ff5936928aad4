// The @cache/core consumer script (ESM and CommonJS), with only the optional peers it uses: a Keyv
// store, @cache/ops, Prometheus metrics and OpenTelemetry spans (a tracer of our own: no
// @opentelemetry/api), and no ioredis. Exits 0 by itself once done.
import { strict as assert } from 'node:assert'
import { createCache, errors, hashKey, isCacheError } from '@cache/core'
import { KeyvStore } from '@cache/core/keyv'
import { instrumentCache } from '@cache/core/trace'
import { type SpanLike, traceWithOpenTelemetry } from '@cache/opentelemetry'
import { exportEntries } from '@cache/ops'
import { registerCacheMetrics } from '@cache/prometheus'
import { Keyv } from 'keyv'
import { Registry } from 'prom-client'

const span: SpanLike = { setAttribute() {}, recordException() {}, setStatus() {}, end() {} }

async function main(): Promise<void> {
  const store = new KeyvStore(new Keyv())
  const cache = createCache({ namespace: 'core', store })
  const registry = new Registry()
  registerCacheMetrics(cache, { registry })
  const spans: string[] = []
  instrumentCache(cache)
  const stopTracing = traceWithOpenTelemetry({
    startSpan: (name) => {
      spans.push(name)
      return span
    },
  })

  const value = { text: 'hello', at: new Date(0), bytes: new Float32Array([1, 2]) }
  await cache.set('greeting', value, { tags: ['greetings'] })
  assert.deepEqual(await cache.get<typeof value>('greeting'), value)

  const keys: string[] = []
  for await (const entry of exportEntries(store)) keys.push(entry.key)
  assert.equal(keys.length, 1, `exported keys: ${keys.join(', ')}`)

  await cache.invalidateTags(['greetings'])
  assert.equal(await cache.get('greeting'), undefined)
  assert.match(await registry.metrics(), /^cache_\w+\{[^}]*cache="core"/m)
  stopTracing()
  assert.deepEqual(spans, ['cache.set', 'cache.get', 'cache.get'])

  assert.equal(hashKey({ b: 1, a: [2] }), hashKey({ a: [2], b: 1 }))
  assert.throws(
    () => hashKey(Number.NaN),
    (error: unknown) => isCacheError(error, errors.ERR_CACHE_INVALID_KEY_INPUT),
  )

  await cache.close()
  process.stdout.write('OK\n')
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`)
  process.exitCode = 1
})
