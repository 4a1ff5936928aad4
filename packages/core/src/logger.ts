import { CacheError, errors } from './errors.js'

/**
 * Where a cache reports what happens to it beyond a single call: a store outage (`warn`, once
 * per outage, with its cause) and the store coming back (`info`, one line). Messages are plain
 * strings, so `console`, pino, winston, bunyan and Fastify's `app.log` all fit.
 */
export interface CacheLogger {
  /** Something the cache keeps running through, degraded (a store it cannot reach). */
  warn(message: string): void
  /** News that needs no action (the store is back). */
  info(message: string): void
}

/** The default logger: warnings to `console.warn`, news to `console.info`. */
export const consoleLogger: CacheLogger = {
  warn: (message) => console.warn(message),
  info: (message) => console.info(message),
}

/** Resolves the `logger` option: the default console, a logger checked for its methods, or none (`false`). */
export function resolveLogger(logger: unknown): CacheLogger | undefined {
  if (logger === undefined) return consoleLogger
  if (logger === false) return undefined
  const l = logger as Partial<CacheLogger> | null
  if (l === null || typeof l !== 'object' || typeof l.warn !== 'function' || typeof l.info !== 'function') {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      'logger must be an object with warn(message) and info(message) methods, or false',
    )
  }
  return l as CacheLogger
}
