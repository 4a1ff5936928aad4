import { type ByteSize, type Duration, parseBytes, parseOptionalDuration } from '../duration.js'
import { CacheError, errors } from '../errors.js'
import { assertKnownOptions, optionKeys } from '../known-options.js'

/** Bounds of an in-process memory tier or store. */
export interface MemoryOptions {
  /**
   * Most entries held; least recently used entries are evicted first.
   * @default 10_000
   */
  maxEntries?: number
  /**
   * Most bytes held (`'64MB'` or a number of bytes). In the cache's L1, an estimate of the heap
   * entries cost: key, about 320 bytes of bookkeeping per entry, and the encoded value (× 2.5 for
   * objects, arrays, maps and sets). In a `MemoryStore`, keys plus stored bytes.
   * @default '64MB'
   */
  maxBytes?: ByteSize
  /**
   * Largest single entry (key plus encoded value). A larger value is not stored, and any value
   * stored earlier under that key is removed so a stale copy cannot outlive the write.
   * @default maxBytes / 8
   */
  maxEntryBytes?: ByteSize
  /**
   * Longest time an entry stays in this process's memory tier, whatever its TTL. With a shared
   * store this caps how long another process's invalidation can be missed while the
   * invalidation bus is down.
   * @default undefined (the entry's own TTL)
   */
  maxTtl?: Duration
}

/** {@link MemoryOptions} resolved to numbers. */
export interface ResolvedMemoryOptions {
  maxEntries: number
  maxBytes: number
  maxEntryBytes: number
  maxTtl: number
}

const MEMORY_OPTIONS = optionKeys<MemoryOptions>({
  maxEntries: true,
  maxBytes: true,
  maxEntryBytes: true,
  maxTtl: true,
})

/**
 * Validates and resolves {@link MemoryOptions}; throws `ERR_CACHE_INVALID_OPTION` at setup.
 * `where` names the options in messages (`'memory'` for `createCache`, `'MemoryStore'`).
 */
export function resolveMemoryOptions(options: MemoryOptions = {}, where = 'memory'): ResolvedMemoryOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `${where} options must be an object, got ${JSON.stringify(options)}`,
    )
  }
  assertKnownOptions(options, MEMORY_OPTIONS, `${where} options`)
  const maxEntries = options.maxEntries ?? 10_000
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new CacheError(
      errors.ERR_CACHE_INVALID_OPTION,
      `memory.maxEntries must be a positive integer, got ${maxEntries}`,
    )
  }
  const maxBytes = parseBytes(options.maxBytes ?? '64MB', 'memory.maxBytes')
  const maxEntryBytes = Math.min(
    maxBytes,
    options.maxEntryBytes === undefined
      ? Math.max(1, Math.floor(maxBytes / 8))
      : parseBytes(options.maxEntryBytes, 'memory.maxEntryBytes'),
  )
  const maxTtl = parseOptionalDuration(options.maxTtl, 'memory.maxTtl') ?? Number.POSITIVE_INFINITY
  return { maxEntries, maxBytes, maxEntryBytes, maxTtl }
}
