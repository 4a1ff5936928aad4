import { expect, it } from 'vitest'
import { call, handlerCalls, totalCalls } from './contract-client.js'
import type { ContractContext } from './contract-context.js'

/** Request coalescing and invalidation across processes. */
export function concurrencyCases(ctx: ContractContext): void {
  it('50 concurrent identical misses on /slow run the handler once (per process at most)', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => call(`${ctx.urls[i % ctx.urls.length]}/slow?case=stampede`)),
    )
    expect(answers.every((r) => r.status === 200)).toBe(true)
    expect(new Set(answers.map((r) => JSON.stringify(r.json())))).toEqual(new Set(['{"calls":1}']))
    for (const url of ctx.urls) expect((await handlerCalls(url)).slow ?? 0).toBeLessThanOrEqual(1)
    const total = await totalCalls(ctx.urls, 'slow')
    expect(total).toBeGreaterThanOrEqual(1)
    expect(total).toBeLessThanOrEqual(ctx.urls.length)
  })

  it('PUT /items/:id invalidates the cached item in every process', async () => {
    const before = await call(`${ctx.a}/items/shared`)
    for (const url of ctx.urls) expect((await call(`${url}/items/shared`)).xCache).toBe('HIT')
    const put = await call(`${ctx.b}/items/shared`, { method: 'PUT' })
    expect(put.status).toBe(200)
    expect(put.json()).toMatchObject({ id: 'shared', version: 1 })
    // The process that took the PUT recomputes; no process serves the pre-PUT body any more (in
    // Redis mode the others may get the recomputed one from Redis, as a HIT).
    const recomputed = await call(`${ctx.b}/items/shared`)
    expect([recomputed.xCache, recomputed.json().version]).toEqual(['MISS', 1])
    for (const url of ctx.urls) {
      const after = await call(`${url}/items/shared`)
      expect(after.bytes.equals(before.bytes)).toBe(false)
    }
  })
}
