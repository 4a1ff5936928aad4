import { dirname } from 'node:path'
import { exportSnapshot } from '@cache/ops'
import { scanStoreKeys } from '@cache/ops/tooling'
import { JSON_OPTION, REDIS_OPTIONS, required, str } from '../args.js'
import { CliError, EXIT } from '../cli-error.js'
import { out, outJson } from '../cli-io.js'
import type { Command } from '../command.js'
import { bytes, num, reasons } from '../format.js'
import { isDirectory } from '../is-directory.js'
import { Progress, progressMode } from '../progress.js'
import { FILTER_OPTIONS, openStoreOption, STORE_OPTION } from '../store-options.js'

/** `cachectl export`: writes a snapshot file. */
export const exportCommand: Command = {
  spec: {
    name: 'export',
    summary: 'Write the entries of a store to a snapshot file (JSON Lines, streamed).',
    usage: '--out FILE (--redis URL | --store SPEC) [--namespace NS]',
    details: 'The file appears only once complete: a failed export leaves no truncated snapshot.',
    options: {
      ...REDIS_OPTIONS,
      ...STORE_OPTION,
      out: { type: 'string', short: 'o', value: 'FILE', complete: 'file', help: 'snapshot file to write' },
      namespace: FILTER_OPTIONS.namespace!,
      progress: FILTER_OPTIONS.progress!,
      ...JSON_OPTION,
    },
  },
  async run(args, io) {
    const file = required(args, 'out', exportCommand.spec)
    // Said plainly and before connecting, rather than as an ENOENT on the temporary file's name.
    if (!(await isDirectory(dirname(file))))
      throw new CliError(`cannot write ${file}: directory ${dirname(file)} does not exist`)
    const source = await openStoreOption(args, io, 'export')
    try {
      const namespace = str(args, 'namespace')
      const mode = progressMode(str(args, 'progress'), io)
      const progress = new Progress(io, mode, 'export')
      if (mode === 'bar') {
        // Counting first costs one more SCAN, worth it for a bar with an ETA on a terminal.
        let total = 0
        const prefixes = namespace === undefined ? [''] : [`${namespace}:`, `${namespace}/`]
        for await (const keys of scanStoreKeys(source.store, prefixes, 1000)) total += keys.length
        progress.total = total
      }
      let written = 0
      const signal = io.interrupted?.()
      const result = await exportSnapshot(source.store, file, {
        namespace,
        source: source.kind,
        signal,
        onProgress: (n) => {
          written = n
          progress.update(n)
        },
      }).catch((error: Error) => {
        if (signal?.aborted) throw new CliError('interrupted, no file written', EXIT.INTERRUPTED)
        throw new CliError(`export failed, no file written: ${error.message}`)
      })
      progress.finish(written)
      const skipped = Object.values(result.skippedBy).reduce((a, b) => a + b, 0)
      if (args.values.json) {
        outJson(io, {
          file,
          source: source.label,
          entries: result.entries,
          bytes: result.bytes,
          skipped,
          skippedBy: result.skippedBy,
        })
        return EXIT.OK
      }
      out(io, `exported ${num(result.entries)} entries (${bytes(result.bytes)}) to ${file}`)
      if (skipped > 0) out(io, `skipped ${num(skipped)}${reasons(result.skippedBy)}`)
      return EXIT.OK
    } finally {
      await source.close()
    }
  },
}
