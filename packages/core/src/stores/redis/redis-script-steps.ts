import type { FencedWrite, LoadFence } from '../store.js'
import type { RedisKeyspace } from './redis-keys.js'
import type { ScriptClient } from './redis-script-client.js'

/**
 * What the Redis store does on standalone and Sentinel: one Lua script per operation, so an
 * entry, its tags, its generations and its lease change together (on a Cluster, where they live
 * in different slots, see `redis-cluster-steps`).
 */

/**
 * Writes an entry with its tags, and bumps the key's generation so that loads of the key that
 * started before this write are not stored after it. `c` may be a pipeline.
 */
export function scriptWrite(
  c: ScriptClient,
  ks: RedisKeyspace,
  key: string,
  buf: Buffer,
  px: string,
  tags: readonly string[],
  genTtl: string,
): Promise<number> {
  const rkey = ks.entry(key)
  return c.cacheSetTagged(
    String(3 + tags.length),
    rkey,
    ks.entryTags(rkey),
    ...tags.map((t) => ks.tag(t)),
    ks.generation('k', key),
    buf,
    px,
    genTtl,
  )
}

/** Deletes an entry and its tag list and bumps its generation; true when it existed. */
export async function scriptDelete(
  c: ScriptClient,
  ks: RedisKeyspace,
  key: string,
  genTtl: string,
): Promise<boolean> {
  const rkey = ks.entry(key)
  return (await c.cacheDeleteKey(rkey, ks.entryTags(rkey), ks.generation('k', key), genTtl)) > 0
}

/** Unlinks every entry carrying one of `tags` and bumps the tags' generations; how many were removed. */
export function scriptInvalidateTags(
  c: ScriptClient,
  ks: RedisKeyspace,
  tags: readonly string[],
  genTtl: string,
): Promise<number> {
  return c.cacheInvalidateTags(
    String(2 * tags.length),
    ...tags.map((t) => ks.tag(t)),
    ...tags.map((t) => ks.generation('t', t)),
    ks.prefix,
    genTtl,
  )
}

/**
 * Reads the generations `keys` guarding a load of `key` and the server clock and, with a
 * `token`, tries to take the lease for `px` ms.
 */
export async function scriptBeginLoad(
  c: ScriptClient,
  ks: RedisKeyspace,
  key: string,
  keys: string[],
  token: string | undefined,
  px: string,
): Promise<{ token: string | undefined; fence: LoadFence }> {
  const leaseKeys = token === undefined ? [] : [ks.lease(key)]
  const [taken, at, ...generations] = await c.cacheBeginLoad(
    String(leaseKeys.length + keys.length),
    ...leaseKeys,
    ...keys,
    token ?? '',
    px,
  )
  return { token: taken === 1 ? token : undefined, fence: { at: Number(at), keys, generations } }
}

/**
 * Stores a loaded value only if none of the generations in `fence` moved since the load began
 * (and the load is younger than `genTtl`), releasing the lease `token`.
 */
export async function scriptSetFenced(
  c: ScriptClient,
  ks: RedisKeyspace,
  key: string,
  buf: Buffer,
  px: string,
  tags: readonly string[],
  fence: LoadFence,
  token: string | undefined,
  genTtl: string,
): Promise<FencedWrite> {
  const rkey = ks.entry(key)
  const leaseKeys = token === undefined ? [] : [ks.lease(key)]
  const result = await c.cacheSetFenced(
    String(2 + tags.length + fence.keys.length + leaseKeys.length),
    rkey,
    ks.entryTags(rkey),
    ...tags.map((t) => ks.tag(t)),
    ...fence.keys,
    ...leaseKeys,
    buf,
    px,
    String(tags.length),
    String(fence.at),
    genTtl,
    token ?? '',
    ...fence.generations,
  )
  return result === 1 ? 'stored' : result === 0 ? 'invalidated' : 'expired'
}
