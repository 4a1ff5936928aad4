import { publishInvalidation, rootNamespace, scanRedisKeys, scanStoreKeys } from '@cache/core/ops'
import type { RedisStore } from '@cache/core/redis'
import { namespaceOption, REDIS_OPTIONS, str } from '../args.js'
import { usageError } from '../cli-error.js'
import { type CliIo, out } from '../cli-io.js'
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
      const store = redis.store
      if (mode === 'namespace') {
        const prefixes = [`${namespace}:`, `${namespace}/`]
        const count = await countKeys(store, prefixes)
        if (
          await stop(
            io,
            args.values['dry-run'],
            count,
            `in namespace ${namespace}`,
            redis.label,
            args.values.yes,
          )
        )
          return 0
        let removed = 0
        for (const p of prefixes) removed += await store.clear(p)
        await publishInvalidation(store, namespace!.split('/')[0]!, { kind: 'clear', prefixes })
        out(io, `deleted ${num(removed)} keys in namespace ${namespace}`)
        return 0
      }
      if (mode === 'tag') {
        const root = namespace!.split('/')[0]!
        const qualified = tags.map((t) => `${root}:${t}`)
        const count = (
          await Promise.all(qualified.map((t) => store.client.scard(store.redisKey(`__tag:${t}`))))
        ).reduce((a, b) => a + b, 0)
        const what = `tagged ${tags.join(', ')} in namespace ${root}`
        if (await stop(io, args.values['dry-run'], count, what, redis.label, args.values.yes, 'up to '))
          return 0
        const removed = await store.invalidateTags(qualified)
        await publishInvalidation(store, root, { kind: 'tags', tags })
        out(io, `deleted ${num(removed)} entries ${what}`)
        return 0
      }
      const count = await countPattern(store, pattern!)
      if (await stop(io, args.values['dry-run'], count, `matching ${pattern}`, redis.label, args.values.yes))
        return 0
      let removed = 0
      for await (const batch of scanRedisKeys(store, { match: pattern!, count: 1000 })) {
        const keys = batch.filter((k) => !k.startsWith('__'))
        if (keys.length === 0) continue
        removed += await store.client.unlink(...keys.map((k) => store.redisKey(k)))
        for (const [root, group] of byRoot(keys))
          await publishInvalidation(store, root, { kind: 'keys', keys: group })
      }
      out(io, `deleted ${num(removed)} keys matching ${pattern}`)
      return 0
    } finally {
      await redis.close()
    }
  },
}

/** Prints the dry-run count, or asks for confirmation; true when the command should stop here. */
async function stop(
  io: CliIo,
  dryRun: unknown,
  count: number,
  what: string,
  where: string,
  yes: unknown,
  approx = '',
): Promise<boolean> {
  if (dryRun) {
    out(io, `would delete ${approx}${num(count)} keys ${what}`)
    return true
  }
  if (count === 0) {
    out(io, `nothing to delete ${what}`)
    return true
  }
  await confirm(io, `Delete ${approx}${num(count)} keys ${what} on ${where}?`, yes === true)
  return false
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
