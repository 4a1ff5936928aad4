import type { Redis } from 'ioredis'

/**
 * How many times the server ran each command since its last `CONFIG RESETSTAT`, from
 * `INFO commandstats` (commands run inside Lua scripts included): `calls('mget')`, 0 for a
 * command it never ran.
 *
 * @example
 * await admin.config('RESETSTAT')
 * await cache.getMany(keys)
 * expect((await commandCalls(admin))('mget')).toBe(1)
 */
export async function commandCalls(client: Redis): Promise<(command: string) => number> {
  const info = await client.info('commandstats')
  return (command) => Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(info)?.[1] ?? 0)
}
