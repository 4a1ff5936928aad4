import { expect, it } from 'vitest'
import { call } from './contract-client.js'
import type { ContractContext } from './contract-context.js'

/** The `Cache-Status` header (RFC 9211) beside `x-cache`, identical on every adapter. */
export function cacheStatusHeaderCases(ctx: ContractContext): void {
  it('Cache-Status: a stored miss, then a hit with its remaining ttl, on every process', async () => {
    const miss = await call(`${ctx.a}/items/rfc9211`)
    expect(miss.headers.get('cache-status')).toBe('cache; fwd=uri-miss; fwd-status=200; ttl=60; stored')
    const hit = await call(`${ctx.a}/items/rfc9211`)
    expect(hit.headers.get('cache-status')).toMatch(/^cache; hit; ttl=(59|60)$/)
    const other = await call(`${ctx.b}/items/rfc9211`)
    expect(other.headers.get('cache-status')).toMatch(/^cache; hit; ttl=\d+$/)
  })

  it('Cache-Status: a response not stored and a bypassed request say why the handler ran', async () => {
    const priv = await call(`${ctx.a}/private`)
    expect([priv.xCache, priv.headers.get('cache-status')]).toEqual([
      'MISS',
      'cache; fwd=uri-miss; fwd-status=200',
    ])
    const auth = await call(`${ctx.a}/items/rfc9211-b`, { headers: { authorization: 'Bearer x' } })
    expect([auth.xCache, auth.headers.get('cache-status')]).toEqual(['BYPASS', 'cache; fwd=bypass'])
    const calls = await call(`${ctx.a}/__calls`)
    expect(calls.headers.get('cache-status')).toBeNull()
  })
}
