import { type SyncDirection, syncCaches } from '@cache/ops'
import { JSON_OPTION, REDIS_OPTIONS, required, str } from '../args.js'
import { CliError, EXIT } from '../cli-error.js'
import { out, outJson } from '../cli-io.js'
import type { Command } from '../command.js'
import { type Opened, openSpec, storeKind } from '../connect.js'
import { num, reasons } from '../format.js'
import { Progress, progressMode } from '../progress.js'
import { FILTER_OPTIONS } from '../store-options.js'

/** `cachectl sync`: copies what one side lacks from the other. */
export const syncCommand: Command = {
  spec: {
    name: 'sync',
    summary:
      'Copy entries between two stores or snapshot files: what the other side lacks, never overwriting.',
    usage: '--from SRC --to DST [--direction push|pull|both] [--dry-run]',
    details:
      'SRC and DST: a Redis URL (redis://, rediss://), a persistent local store (sqlite://PATH) or a\n' +
      'snapshot file path. push copies SRC -> DST (the default), pull DST -> SRC, both each way.\n' +
      'A key both sides hold is left alone; entries of another codec version are skipped and\n' +
      'counted. Prints "N pulled, M pushed".',
    options: {
      from: { type: 'string', short: 'f', value: 'SRC', complete: 'file', help: 'the local side' },
      to: { type: 'string', short: 't', value: 'DST', complete: 'file', help: 'the remote side' },
      direction: {
        type: 'string',
        short: 'd',
        value: 'DIR',
        choices: ['push', 'pull', 'both'],
        help: 'push (SRC -> DST, default), pull or both',
      },
      'dry-run': { type: 'boolean', help: 'count what would be copied, write nothing' },
      prefix: REDIS_OPTIONS.prefix!,
      'connect-timeout': REDIS_OPTIONS['connect-timeout']!,
      ...FILTER_OPTIONS,
      ...JSON_OPTION,
    },
  },
  async run(args, io) {
    const from = required(args, 'from', syncCommand.spec)
    const to = required(args, 'to', syncCommand.spec)
    const direction = (str(args, 'direction') ?? 'push') as SyncDirection
    // Both sides' syntax first: a bad second side is a usage error before the first is opened.
    storeKind(from)
    storeKind(to)
    const opened: Opened[] = []
    try {
      const local = await openSpec(from, args)
      opened.push(local)
      const remote = await openSpec(to, args)
      opened.push(remote)
      const progress = new Progress(io, progressMode(str(args, 'progress'), io), 'sync')
      let scanned = 0
      const result = await syncCaches(side(local), side(remote), {
        direction,
        dryRun: args.values['dry-run'] === true,
        namespace: str(args, 'namespace'),
        onProgress: (p) => {
          scanned = p.scanned
          progress.update(p.scanned, `${num(p.pulled)} pulled, ${num(p.pushed)} pushed`)
        },
      }).catch((error: Error) => {
        throw new CliError(`sync failed: ${error.message}`)
      })
      progress.finish(scanned, `${num(result.pulled)} pulled, ${num(result.pushed)} pushed`)
      if (args.values.json) {
        outJson(io, { from: local.label, to: remote.label, direction, ...result })
        return EXIT.OK
      }
      const prefix = result.dryRun ? 'dry run: would copy ' : ''
      out(
        io,
        `${prefix}${num(result.pulled)} pulled, ${num(result.pushed)} pushed, ${num(result.skipped)} skipped${reasons(result.skippedBy)}, ${num(result.unchanged)} already on both sides`,
      )
      return EXIT.OK
    } finally {
      for (const o of opened) await o.close()
    }
  },
}

function side(o: Opened) {
  return o.kind === 'file' ? o.target : o.store
}
