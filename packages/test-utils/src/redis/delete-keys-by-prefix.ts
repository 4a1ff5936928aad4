import type { Redis } from 'ioredis'

/** Escapes the glob metacharacters of SCAN MATCH so that `prefix` matches literally. */
export function escapeRedisGlob(text: string): string {
  return text.replace(/[*?[\]\\^]/g, '\\$&')
}

/**
 * Deletes every key starting with `prefix` (SCAN MATCH + UNLINK in batches) and resolves to how
 * many were deleted. The way to clean up on a shared server, where FLUSHALL would destroy other
 * test files' (or other people's) data. Refuses an empty prefix for the same reason.
 */
export async function deleteKeysByPrefix(client: Redis, prefix: string): Promise<number> {
  if (prefix === '') throw new Error('deleteKeysByPrefix: refusing an empty prefix (that would be every key)')
  const match = `${escapeRedisGlob(prefix)}*`
  let cursor = '0'
  let deleted = 0
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', match, 'COUNT', 1000)
    cursor = next
    if (keys.length > 0) deleted += await client.unlink(...keys)
  } while (cursor !== '0')
  return deleted
}
