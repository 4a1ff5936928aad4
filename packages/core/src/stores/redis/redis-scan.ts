import type { Cluster, Redis } from 'ioredis'

/**
 * Walks the keys matching the glob `match` on `nodes` (a standalone client, or a cluster's
 * masters) with SCAN, never KEYS, which would block Redis on a large keyspace; `page` receives
 * each non-empty page of keys and the node it came from.
 */
async function scanPages(
  nodes: readonly Redis[],
  match: string,
  page: (node: Redis, keys: string[]) => Promise<void> | void,
  progress?: () => void,
): Promise<void> {
  for (const node of nodes) {
    let cursor = '0'
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', match, 'COUNT', 1000)
      cursor = next
      if (keys.length > 0) await page(node, keys)
      progress?.()
    } while (cursor !== '0')
  }
}

/**
 * Unlinks every key matching the glob `match` on `nodes` (SCAN + UNLINK). On a cluster, the keys
 * of one page live in several slots, so each is unlinked through the cluster client on its own.
 * Calls `progress` after each page. Returns how many were removed.
 */
export async function unlinkMatching(
  client: Redis | Cluster,
  nodes: readonly Redis[],
  match: string,
  progress?: () => void,
): Promise<number> {
  const cluster = (client as Cluster).isCluster === true
  let removed = 0
  await scanPages(
    nodes,
    match,
    async (node, keys) => {
      if (!cluster) removed += await node.unlink(...keys)
      else for (const n of await Promise.all(keys.map((k) => client.unlink(k)))) removed += n
    },
    progress,
  )
  return removed
}

/** Counts the keys matching the glob `match` on `nodes` with SCAN (never KEYS). */
export async function countMatching(nodes: readonly Redis[], match: string): Promise<number> {
  let n = 0
  await scanPages(nodes, match, (_node, keys) => {
    n += keys.length
  })
  return n
}
