import type { Invalidation, OutboxTarget } from './bus/invalidation-outbox.js'
import type { CacheCore } from './cache-core.js'
import { CacheError, errors } from './errors.js'
import { namespacePrefixes } from './keys/key-layout.js'

const PROBE = { probe: true } as const
const STEPPED = { stepped: true } as const
const STEPPED_PROBE = { probe: true, stepped: true } as const

/** How the invalidation outbox of `core` reaches the store and the bus. */
export function invalidationTarget(core: CacheCore): OutboxTarget {
  return {
    apply(message, probe) {
      const l2 = core.l2!
      const options = probe ? PROBE : undefined
      switch (message.kind) {
        case 'keys':
          return l2.call('delete', (s) => deleteKeys(s.delete.bind(s), message.keys), options)
        case 'tags': {
          const qualified = core.qualifyTags(message.tags)
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
    async publish(message, probe) {
      const bus = core.bus
      if (bus === undefined) return
      await core.sendOnBus(bus, message, probe ? PROBE : undefined)
    },
    fault(error, message) {
      core.recorder.fault(
        error,
        operationOf(message),
        message.kind === 'keys' ? message.keys[0] : undefined,
        'remote',
      )
    },
    overflow(dropped) {
      const ns = core.options.namespace
      core.recorder.fault(
        new CacheError(
          errors.ERR_CACHE_OUTBOX_OVERFLOW,
          `${dropped} invalidations waited for an unreachable store (remote.outboxSize ${core.options.outboxSize}): ` +
            `replaced by one clear of namespace '${ns}'; no L2 value of it is served until that clear reaches the store`,
        ),
        'outbox',
        undefined,
        'remote',
      )
      return { kind: 'clear', prefixes: namespacePrefixes(ns) }
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
