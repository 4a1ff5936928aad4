import { describeStoreConformance } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { MemoryStore } from './memory-store.js'

describeStoreConformance('MemoryStore', async () => ({
  store: new MemoryStore({ maxBytes: '64MB', maxEntryBytes: '8MB' }),
  prefix: 'mem:',
}))

describe('MemoryStore bounds', () => {
  it('counts keys and values against maxBytes and drops oversized entries with their previous value', async () => {
    const store = new MemoryStore({ maxEntries: 1000, maxBytes: 10_000, maxEntryBytes: 2000 })
    await store.set('k', new Uint8Array(100), 60_000)
    expect(store.usage.bytes).toBe(100 + 2)
    await store.set('k', new Uint8Array(5000), 60_000)
    expect(await store.get('k')).toBeUndefined()
    for (let i = 0; i < 20; i++) await store.set(`k${i}`, new Uint8Array(1000), 60_000)
    expect(store.usage.bytes).toBeLessThanOrEqual(10_000)
    expect(await store.get('k19')).toBeDefined()
    expect(await store.get('k0')).toBeUndefined()
  })
})
