import { type BusEnvelope, type BusMessage, busChannel } from '@cache/core/layout'
import type { RedisLikeStore } from './redis-scan.js'

/** Origin stamped on invalidations sent by tools, so no cache instance mistakes them for its own. */
export const TOOL_ORIGIN = 'cachectl'

/**
 * Tells the running apps of root namespace `root` about an invalidation done behind their back
 * (a clear by `cachectl`), on the channel their `RedisBus` listens to, so they drop their L1
 * copies too. Resolves to how many subscribers received it.
 */
export async function publishInvalidation(
  store: RedisLikeStore,
  root: string,
  message: BusMessage,
): Promise<number> {
  const envelope: BusEnvelope = { origin: TOOL_ORIGIN, message }
  return store.client.publish(store.redisKey(busChannel(root)), JSON.stringify(envelope))
}
