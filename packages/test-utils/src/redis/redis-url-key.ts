/**
 * Name under which the vitest global setup `provide`s the URL of the per-run Redis server, and
 * `useRedis()` `inject`s it.
 */
export const REDIS_URL_KEY = 'cacheToolkitRedisUrl'

declare module 'vitest' {
  /** Values the Redis global setup shares with test files. */
  export interface ProvidedContext {
    /** URL of the Redis server started once per vitest run; absent without the global setup. */
    cacheToolkitRedisUrl?: string
  }
}
