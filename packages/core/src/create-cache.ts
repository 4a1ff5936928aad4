import { Cache } from './cache.js'
import { CacheCore } from './cache-core.js'
import { type CacheOptions, resolveCacheOptions } from './options.js'

/**
 * Creates a cache. Options are validated here: a bad option throws `ERR_CACHE_INVALID_OPTION`
 * (or `ERR_CACHE_INVALID_DURATION`) at setup, never later at request time.
 *
 * @example
 * const cache = createCache({ namespace: 'app', ttl: '10m', grace: '1h' })
 * const user = await cache.getOrSet(['user', id], () => db.users.find(id), { tags: [`user:${id}`] })
 */
export function createCache(options: CacheOptions = {}): Cache {
  const resolved = resolveCacheOptions(options)
  return new Cache(new CacheCore(resolved), resolved.namespace)
}
