import { unreachableStore, until } from '@cache/test-utils'
import { describe, expect, it } from 'vitest'
import { createCache } from '../create-cache.js'
import { MemoryStore } from '../stores/memory-store.js'
import { ADAPTER_OPTION_KEYS, adapterCache } from './adapter-cache.js'

const INVALID = expect.objectContaining({ code: 'ERR_CACHE_INVALID_OPTION' })
const CLOSED = expect.objectContaining({ code: 'ERR_CACHE_CLOSED' })

describe('adapterCache (the cache an adapter serves from, and its lifecycle)', () => {
  it('leaves a Cache you passed open when the app closes, unless closeCache says otherwise', async () => {
    const yours = createCache()
    await adapterCache({ cache: yours }, 'test').close()
    await expect(yours.set('k', 1)).resolves.toBeUndefined()
    await adapterCache({ cache: yours, closeCache: true }, 'test').close()
    await expect(yours.set('k', 1)).rejects.toThrow(CLOSED)
  })

  it('creates the cache from options and closes it with the app, unless closeCache is false', async () => {
    const owned = adapterCache({ cache: { namespace: 'owned' } }, 'test')
    expect([owned.cache.namespacePath, owned.closeCache]).toEqual(['owned', true])
    await owned.close()
    await expect(owned.cache.get('k')).rejects.toThrow(CLOSED)
    const kept = adapterCache({ cache: {}, closeCache: false }, 'test')
    await kept.close()
    await expect(kept.cache.get('k')).resolves.toBeUndefined()
  })

  it('refuses a missing cache and non-boolean lifecycle options at setup', () => {
    expect(() => adapterCache({} as never, '@cache/test')).toThrow(INVALID)
    expect(() => adapterCache({ cache: 'redis://x' } as never, '@cache/test')).toThrow(INVALID)
    expect(() => adapterCache({ cache: {}, closeCache: 'yes' } as never, 'test')).toThrow(INVALID)
    expect(() => adapterCache({ cache: {}, requireReady: 1 } as never, 'test')).toThrow(INVALID)
  })

  it('closes a cache it created when a route default is invalid', async () => {
    const store = new MemoryStore()
    expect(() => adapterCache({ cache: { store }, ttl: -1 }, 'test')).toThrow(INVALID)
    await until(() =>
      store.get('k').then(
        () => false,
        () => true,
      ),
    )
  })

  it('gives the HTTP cache over the cache, with the route defaults and namespace', () => {
    const adapter = adapterCache({ cache: { namespace: 'app' }, namespace: 'pages', ttl: '5m' }, 'test')
    expect(adapter.http.cache.namespacePath).toBe('app/pages')
    expect(adapter.http.route().ttl).toBe(300_000)
  })

  it('boots on a ready cache; on one that is not, warns and goes on, or fails under requireReady', async () => {
    expect(await adapterCache({ cache: {} }, 'test').ready(() => {})).toBe(true)
    const warnings: [string, unknown][] = []
    const lenient = adapterCache({ cache: { store: unreachableStore() } }, 'test')
    expect(await lenient.ready((message, cause) => warnings.push([message, cause]))).toBe(false)
    expect(warnings).toHaveLength(1)
    expect(warnings[0]![0]).toMatch(/not ready.*serving from memory/)
    expect(warnings[0]![1]).toMatchObject({ code: 'ERR_CACHE_TIMEOUT', cause: { code: 'ECONNREFUSED' } })
    const strict = adapterCache({ cache: { store: unreachableStore() }, requireReady: true }, 'test')
    await expect(strict.ready(() => {})).rejects.toMatchObject({ cause: { code: 'ECONNREFUSED' } })
    // The failed start closed the cache it owned: nothing else would.
    await expect(strict.cache.get('k')).rejects.toThrow(CLOSED)
    await lenient.close()
  })

  it('lists the keys every adapter accepts (route defaults, cache, namespace, lifecycle)', () => {
    expect(ADAPTER_OPTION_KEYS).toEqual(
      expect.arrayContaining(['ttl', 'tags', 'cache', 'namespace', 'closeCache', 'requireReady']),
    )
  })
})
