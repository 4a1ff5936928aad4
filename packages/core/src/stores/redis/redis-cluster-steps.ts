import type { Cluster } from 'ioredis'
import type { FencedWrite, LoadFence } from '../store.js'
import type { RedisKeyspace } from './redis-keys.js'

/** A cluster client with the store's one-key scripts (one-key scripts run on any slot). */
export type ClusterClient = Cluster & {
  cacheBump(key: string, ttl: string): Promise<number>
  cacheReleaseLease(key: string, token: string): Promise<number>
}

/**
 * What the Redis store does on a Cluster, where an entry, its tag sets, its generations and its
 * lease live in different slots and no script can cover them: the same steps as the standalone
 * scripts, one command at a time, ordered so that a failure in between errs towards a miss.
 */

/**
 * Writes an entry: tag sets first (a key that exists is always findable by its tags), then its
 * tag list, the value, and (an overwrite) its generation.
 */
export async function clusterWrite(
  c: ClusterClient,
  ks: RedisKeyspace,
  key: string,
  buf: Buffer,
  px: string,
  tags: readonly string[],
  genTtl: string | undefined,
): Promise<void> {
  const rkey = ks.entry(key)
  const ktKey = ks.entryTags(rkey)
  const tagKeys = tags.map((t) => ks.tag(t))
  await Promise.all(
    tagKeys.map(async (tk) => {
      await c.sadd(tk, rkey)
      if (px === '') await c.persist(tk)
      else {
        await c.pexpire(tk, px, 'NX')
        await c.pexpire(tk, px, 'GT')
      }
    }),
  )
  // Until the UNLINK lands an invalidation of an earlier tag may still remove the entry, which is
  // the safe direction (a miss, never a stale hit).
  await c.unlink(ktKey)
  if (tagKeys.length > 0) {
    await c.sadd(ktKey, ...tagKeys)
    if (px !== '') await c.pexpire(ktKey, px)
  }
  await (px === '' ? c.set(rkey, buf) : c.set(rkey, buf, 'PX', px))
  if (genTtl !== undefined) await c.cacheBump(ks.generation('k', key), genTtl)
}

/** Deletes an entry and its tag list, and bumps its generation. */
export async function clusterDelete(
  c: ClusterClient,
  ks: RedisKeyspace,
  key: string,
  genTtl: string,
): Promise<boolean> {
  const rkey = ks.entry(key)
  const [removed] = await Promise.all([
    c.unlink(rkey),
    c.unlink(ks.entryTags(rkey)),
    c.cacheBump(ks.generation('k', key), genTtl),
  ])
  return removed > 0
}

/** Bumps the tags' generations, then removes every entry that still carries one, then the sets. */
export async function clusterInvalidateTags(
  c: ClusterClient,
  ks: RedisKeyspace,
  tags: readonly string[],
  genTtl: string,
): Promise<number> {
  await Promise.all(tags.map((t) => c.cacheBump(ks.generation('t', t), genTtl)))
  const tagKeys = tags.map((t) => ks.tag(t))
  const doomed = new Set<string>()
  for (const tk of tagKeys) {
    const members = await c.smembers(tk)
    const current = await Promise.all(members.map((m) => c.sismember(ks.entryTags(m), tk)))
    members.forEach((m, i) => {
      if (current[i] === 1) doomed.add(m)
    })
  }
  const counts = await Promise.all([...doomed].map((m) => c.unlink(m)))
  await Promise.all([...doomed].map((m) => c.unlink(ks.entryTags(m))))
  await Promise.all(tagKeys.map((tk) => c.unlink(tk)))
  return counts.reduce((a, b) => a + b, 0)
}

/** Takes the lease (when `token` is given) and reads the generations; the clock is this process's. */
export async function clusterBeginLoad(
  c: ClusterClient,
  ks: RedisKeyspace,
  key: string,
  keys: string[],
  token: string | undefined,
  px: string,
): Promise<{ token: string | undefined; fence: LoadFence }> {
  const at = Date.now()
  const [taken, generations] = await Promise.all([
    token === undefined ? null : c.set(ks.lease(key), token, 'PX', px, 'NX'),
    Promise.all(keys.map(async (k) => (await c.get(k)) ?? '0')),
  ])
  return { token: taken === 'OK' ? token : undefined, fence: { at, keys, generations } }
}

/**
 * Checks the fence, then writes: an invalidation that lands between the two (one round trip) is
 * not seen. Releases the lease either way.
 */
export async function clusterSetFenced(
  c: ClusterClient,
  ks: RedisKeyspace,
  write: () => Promise<void>,
  key: string,
  fence: LoadFence,
  token: string | undefined,
  genTtl: string,
): Promise<FencedWrite> {
  let outcome: FencedWrite = 'stored'
  if (Date.now() - fence.at >= Number(genTtl)) outcome = 'expired'
  else {
    const now = await Promise.all(fence.keys.map(async (k) => (await c.get(k)) ?? '0'))
    if (now.some((g, i) => g !== fence.generations[i])) outcome = 'invalidated'
  }
  if (outcome === 'stored') await write()
  if (token !== undefined) await c.cacheReleaseLease(ks.lease(key), token)
  return outcome
}
