import type { BusMessage } from './bus/invalidation-bus.js'
import type { Invalidation, OutboxTarget } from './bus/invalidation-outbox.js'
import { CacheError, errors } from './errors.js'
import { namespacePrefixes } from './keys/key-layout.js'
import type { CallOptions, RemoteTier } from './tiers/remote-tier.js'

/** What an outbox's target reaches the store and the bus through (the remote facade). */
export interface InvalidationRemote {
  /** The guarded store. */
  readonly tier: RemoteTier
  /** Store-level names of `tags`. */
  qualifyTags(tags: readonly string[]): string[]
  /** Publishes on the bus (resolves at once without one); rejects on a fault. */
  send(message: BusMessage, options?: CallOptions<void>): Promise<void>
  /** Counts and emits a remote fault. */
  fault(error: unknown, operation: string, key: string | undefined): void
}

const PROBE = { probe: true } as const
const STEPPED = { stepped: true } as const
const STEPPED_PROBE = { probe: true, stepped: true } as const

/**
 * How an invalidation outbox reaches the store and the bus through `remote`. `namespace` (the
 * root's) is what an overflow clears; `outboxSize` is named in its report.
 */
export function invalidationTarget(
  remote: InvalidationRemote,
  namespace: string,
  outboxSize: number,
): OutboxTarget {
  return {
    apply(message, probe) {
      const l2 = remote.tier
      const options = probe ? PROBE : undefined
      switch (message.kind) {
        case 'keys':
          return l2.call('delete', (s) => deleteKeys(s.delete.bind(s), message.keys), options)
        case 'tags': {
          const qualified = remote.qualifyTags(message.tags)
          return l2.call('invalidateTags', (s) => s.invalidateTags(qualified), options)
        }
        case 'clear':
          return l2.call(
            'clear',
            async (s, progress) => {
              let removed = 0
              for (const prefix of message.prefixes) removed += await s.clear(prefix, progress)
              return removed
            },
            probe ? STEPPED_PROBE : STEPPED,
          )
      }
    },
    publish(message, probe) {
      return remote.send(message, probe ? PROBE : undefined)
    },
    fault(error, message) {
      remote.fault(error, operationOf(message), message.kind === 'keys' ? message.keys[0] : undefined)
    },
    overflow(dropped) {
      remote.fault(
        new CacheError(
          errors.ERR_CACHE_OUTBOX_OVERFLOW,
          `${dropped} invalidations waited for an unreachable store (remote.outboxSize ${outboxSize}): ` +
            `replaced by one clear of namespace '${namespace}'; no L2 value of it is served until that clear reaches the store`,
        ),
        'outbox',
        undefined,
      )
      return { kind: 'clear', prefixes: namespacePrefixes(namespace) }
    },
  }
}

async function deleteKeys(
  remove: (key: string) => Promise<boolean>,
  keys: readonly string[],
): Promise<number> {
  if (keys.length === 1) return (await remove(keys[0]!)) ? 1 : 0
  const removed = await Promise.all(keys.map(remove))
  return removed.filter(Boolean).length
}

function operationOf(message: Invalidation): string {
  return message.kind === 'keys' ? 'delete' : message.kind === 'tags' ? 'invalidateTags' : 'clear'
}
