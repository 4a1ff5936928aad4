import { importSnapshot, validateSnapshot } from '@cache/ops'
import { JSON_OPTION, REDIS_OPTIONS, required, str } from '../args.js'
import { CliError, EXIT } from '../cli-error.js'
import { err, out, outJson } from '../cli-io.js'
import type { Command } from '../command.js'
import { num, reasons } from '../format.js'
import { Progress, progressMode } from '../progress.js'
import { FILTER_OPTIONS, openStoreOption, STORE_OPTION, storeOption } from '../store-options.js'

/** `cachectl import`: loads a snapshot file, after checking all of it. */
export const importCommand: Command = {
  spec: {
    name: 'import',
    summary: 'Load a snapshot file into a store. The whole file is checked first: a damaged file is refused.',
    usage: '--in FILE (--redis URL | --store SPEC) [--overwrite] [--skip-invalid] [--dry-run]',
    details:
      'Every line is decoded before anything is written. With malformed lines the import is refused\n' +
      '(exit 1, nothing written) and the first ones are listed; --skip-invalid imports the valid lines\n' +
      'and reports the others (exit 1 too: the import is partial). Entries already in the store are\n' +
      'kept unless --overwrite.',
    options: {
      ...REDIS_OPTIONS,
      ...STORE_OPTION,
      in: { type: 'string', short: 'i', value: 'FILE', complete: 'file', help: 'snapshot file to read' },
      overwrite: { type: 'boolean', help: 'replace entries the store already holds' },
      'skip-invalid': {
        type: 'boolean',
        help: 'import the valid lines of a damaged file, report the others',
      },
      'dry-run': { type: 'boolean', help: 'count what would be imported, write nothing' },
      ...FILTER_OPTIONS,
      ...JSON_OPTION,
    },
  },
  async run(args, io) {
    const file = required(args, 'in', importCommand.spec)
    storeOption(args, io, 'import') // a usage error comes before reading the file
    const check = await validateSnapshot(file).catch((error: Error) => {
      throw new CliError(`cannot import ${file}: ${error.message}`)
    })
    const printProblems = () => {
      for (const p of check.problems) err(io, `  line ${p.line}: ${p.reason}`)
      if (check.invalid > check.problems.length)
        err(io, `  ... and ${num(check.invalid - check.problems.length)} more`)
    }
    if (check.invalid > 0 && !args.values['skip-invalid']) {
      err(
        io,
        `${file}: ${num(check.invalid)} malformed line${check.invalid > 1 ? 's' : ''} of ${num(check.entries + check.invalid)}:`,
      )
      printProblems()
      throw new CliError('nothing imported (pass --skip-invalid to import the valid lines)')
    }
    // Importing is how a new SQLite database comes to be; a dry run creates nothing.
    const target = await openStoreOption(args, io, 'import', args.values['dry-run'] ? 'empty' : 'create')
    try {
      const progress = new Progress(io, progressMode(str(args, 'progress'), io), 'import', check.entries)
      let processed = 0
      const result = await importSnapshot(target.store, file, {
        invalidLines: 'skip',
        overwrite: args.values.overwrite === true,
        dryRun: args.values['dry-run'] === true,
        namespace: str(args, 'namespace'),
        onProgress: (p) => {
          processed = p.processed
          progress.update(p.processed)
        },
      }).catch((error: Error) => {
        throw new CliError(error.message)
      })
      progress.finish(processed)
      const dryRun = args.values['dry-run'] === true
      if (args.values.json) {
        outJson(io, {
          file,
          target: target.label,
          dryRun,
          imported: result.imported,
          skipped: result.skipped,
          skippedBy: result.skippedBy,
          invalidLines: result.invalidLines,
          problems: result.problems,
        })
      } else {
        out(
          io,
          `${dryRun ? 'would import' : 'imported'} ${num(result.imported)} entries into ${target.label}, skipped ${num(result.skipped)}${reasons(result.skippedBy)}`,
        )
      }
      if (result.invalidLines === 0) return EXIT.OK
      err(io, `${num(result.invalidLines)} malformed line${result.invalidLines > 1 ? 's' : ''} left out:`)
      printProblems()
      // Some of the file is not in the store: a partial import, whatever was asked.
      return EXIT.FAILED
    } finally {
      await target.close()
    }
  },
}
