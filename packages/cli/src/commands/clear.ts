import { rootNamespace } from '@cache/core/layout'
import type { RedisStore } from '@cache/core/redis'
import { publishInvalidation, scanRedisKeys, scanStoreKeys } from '@cache/ops/tooling'
import { JSON_OPTION, namespaceOption, REDIS_OPTIONS, str } from '../args.js'
import { EXIT, usageError } from '../cli-error.js'
import { out, outJson } from '../cli-io.js'
import type { Command } from '../command.js'
import { confirm } from '../confirm.js'
import { openRedis, redisUrl } from '../connect.js'
import { num } from '../format.js'

/** `cachectl clear`: deletes by namespace, tag or pattern, after confirmation. */
export const clearCommand: Command = {
  spec: {
    name: 'clear',
    summary: 'Delete entries by namespace, tag or key pattern, and tell running apps to drop their copies.',
    usage: '--redis URL (--namespace NS | --tag T --namespace ROOT | --pattern GLOB) [--yes] [--dry-run]',
    details:
      'Asks for confirmation unless --yes; without a terminal and without --yes it refuses.\n' +
      "Tags are scoped by the cache's root namespace, so --tag needs --namespace.\n" +
      'Running apps are told over the invalidation bus, so they drop their in-memory (L1) copies too.',
    options: {
      ...REDIS_OPTIONS,
      namespace: namespaceOption('the namespace to clear (with its children)'),
      tag: {
        type: 'string',
        short: 't',
        value: 'T',
        help: 'delete every entry carrying this tag',
        multiple: true,
      },
      pattern: {
        type: 'string',
        short: 'p',
        value: 'GLOB',
        help: 'delete keys matching this SCAN pattern, e.g. "app:user:*"',
      },
      yes: { type: 'boolean', short: 'y', help: 'do not ask for confirmation' },
      'dry-run': { type: 'boolean', help: 'count what would be deleted, delete nothing' },
      ...JSON_OPTION,
    },
  },
  async run(args, io) {
    const namespace = str(args, 'namespace')
    const tags = (args.values.tag as string[] | undefined) ?? []
    const pattern = str(args, 'pattern')
    const mode =
      tags.length > 0
        ? 'tag'
        : pattern !== undefined
          ? 'pattern'
          : namespace !== undefined
            ? 'namespace'
            : undefined
    if (mode === undefined)
      throw usageError('one of --namespace, --tag or --pattern is required\nsee: cachectl clear --help')
    if (tags.length > 0 && pattern !== undefined) throw usageError('use --tag or --pattern, not both')
    if (mode === 'tag' && namespace === undefined) {
      throw usageError("--tag needs --namespace ROOT: tags are scoped by the cache's root namespace")
    }
    const redis = await openRedis(redisUrl(args, io, 'clear'), args)
    try {
      const plan =
        mode === 'namespace'
          ? namespacePlan(redis.store, namespace!)
          : mode === 'tag'
            ? tagPlan(redis.store, namespace!.split('/')[0]!, tags)
            : patternPlan(redis.store, pattern!)
      const count = await plan.count()
      const dryRun = args.values['dry-run'] === true
      const report = (deleted: number, text: string) => {
        if (args.values.json !== true) out(io, text)
        else
          outJson(io, {
            mode,
            namespace: namespace ?? null,
            tags: mode === 'tag' ? tags : null,
            pattern: pattern ?? null,
            dryRun,
            matched: count,
            deleted,
          })
        return EXIT.OK
      }
      const approx = mode === 'tag' ? 'up to ' : ''
      const also = plan.uncounted === undefined ? '' : `, ${plan.uncounted}`
      if (dryRun) return report(0, `would delete ${approx}${num(count)} keys ${plan.what}${also}`)
      if (count === 0 && plan.uncounted === undefined) return report(0, `nothing to delete ${plan.what}`)
      await confirm(
        io,
        `Delete ${approx}${num(count)} keys ${plan.what}${also}, on ${redis.label}?`,
        args.values.yes === true,
      )
      const deleted = await plan.delete()
      return report(
        deleted,
        `deleted ${num(deleted)} ${mode === 'tag' ? 'entries' : 'keys'} ${plan.what}${also}`,
      )
    } finally {
      await redis.close()
    }
  },
}

/** What one `clear` deletes: how to count it, how to delete it, and how to say it. */
interface ClearPlan {
  /** `in namespace app`, `tagged t in namespace app`, `matching app:x:*`. */
  what: string
  /** Keys it would delete (for tags, an upper bound: an index may list expired entries). */
  count(): Promise<number>
  /** Deletes, tells running apps over the bus; resolves to what was deleted. */
  delete(): Promise<number>
  /**
   * What the plan also drops that `count` cannot see; such a plan runs even when the count is 0.
   * @default undefined (the count is all it drops)
   */
  uncounted?: string
}

function namespacePlan(store: RedisStore, namespace: string): ClearPlan {
  const prefixes = [`${namespace}:`, `${namespace}/`]
  return {
    what: `in namespace ${namespace}`,
    count: () => countKeys(store, prefixes),
    async delete() {
      let removed = 0
      for (const p of prefixes) removed += await store.clear(p)
      await publishInvalidation(store, namespace.split('/')[0]!, { kind: 'clear', prefixes })
      return removed
    },
  }
}

function tagPlan(store: RedisStore, root: string, tags: string[]): ClearPlan {
  const qualified = tags.map((t) => `${root}:${t}`)
  return {
    what: `tagged ${tags.join(', ')} in namespace ${root}`,
    // Cached HTTP responses keep their path tag as a stamp of its generation, not in the tag's
    // set: the invalidation drops them by bumping the generation, and nothing can count them.
    uncounted: 'plus any cached response that keeps the tag as a stamp (not counted)',
    count: async () =>
      (await Promise.all(qualified.map((t) => store.client.scard(store.redisKey(`__tag:${t}`))))).reduce(
        (a, b) => a + b,
        0,
      ),
    async delete() {
      const removed = await store.invalidateTags(qualified)
      await publishInvalidation(store, root, { kind: 'tags', tags })
      return removed
    },
  }
}

function patternPlan(store: RedisStore, pattern: string): ClearPlan {
  return {
    what: `matching ${pattern}`,
    count: () => countPattern(store, pattern),
    async delete() {
      let removed = 0
      for await (const batch of scanRedisKeys(store, { match: pattern, count: 1000 })) {
        const keys = batch.filter((k) => !k.startsWith('__'))
        if (keys.length === 0) continue
        removed += await store.client.unlink(...keys.map((k) => store.redisKey(k)))
        for (const [root, group] of byRoot(keys))
          await publishInvalidation(store, root, { kind: 'keys', keys: group })
      }
      return removed
    },
  }
}

async function countKeys(store: RedisStore, prefixes: string[]): Promise<number> {
  let n = 0
  for await (const keys of scanStoreKeys(store, prefixes, 1000)) n += keys.length
  return n
}

async function countPattern(store: RedisStore, match: string): Promise<number> {
  let n = 0
  for await (const keys of scanRedisKeys(store, { match, count: 1000 }))
    n += keys.filter((k) => !k.startsWith('__')).length
  return n
}

function byRoot(keys: string[]): Map<string, string[]> {
  const groups = new Map<string, string[]>()
  for (const key of keys) {
    const root = rootNamespace(key)
    if (root === undefined) continue
    let g = groups.get(root)
    if (g === undefined) groups.set(root, (g = []))
    g.push(key)
  }
  return groups
}
