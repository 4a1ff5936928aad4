import { describe, expect, it } from 'vitest'
import { createCache } from './create-cache.js'
import { errors, isCacheError } from './errors.js'
import { MemoryStore } from './stores/memory-store.js'

describe('cache.ready() without a connecting store', () => {
  it('resolves at once for memory and for stores that do not connect', async () => {
    await expect(createCache().ready()).resolves.toBeUndefined()
    await expect(createCache({ store: new MemoryStore() }).ready({ timeout: 1 })).resolves.toBeUndefined()
  })

  it('refuses a closed cache and a bad timeout', async () => {
    const cache = createCache()
    await expect(cache.ready({ timeout: 'soon' })).rejects.toSatisfy((e) =>
      isCacheError(e, errors.ERR_CACHE_INVALID_DURATION),
    )
    await cache.close()
    await expect(cache.ready()).rejects.toSatisfy((e) => isCacheError(e, errors.ERR_CACHE_CLOSED))
  })
})
