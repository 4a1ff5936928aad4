#!/usr/bin/env node
// Counts the names each entry point of the public packages exports, from their TypeScript source
// (no build needed): all names, and how many of them are values (functions, classes, constants)
// rather than types only. For tracking the size of the public API across changes.
//
//   node scripts/count-exports.mjs [--json] [--names]
import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import ts from 'typescript'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const { values: options } = parseArgs({
  options: { json: { type: 'boolean', default: false }, names: { type: 'boolean', default: false } },
})

/** Every entry point of the published packages: `{ specifier, file }`, from their manifests. */
function entryPoints() {
  const entries = []
  for (const dir of readdirSync(join(root, 'packages'))) {
    const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'))
    if (manifest.private) continue
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const source = typeof target === 'object' ? target['@cache/source'] : undefined
      if (source === undefined) continue
      entries.push({
        specifier: subpath === '.' ? manifest.name : `${manifest.name}${subpath.slice(1)}`,
        file: join(root, 'packages', dir, source),
      })
    }
  }
  return entries
}

const entries = entryPoints()
const program = ts.createProgram(
  entries.map((entry) => entry.file),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    customConditions: ['@cache/source'],
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    skipLibCheck: true,
    noEmit: true,
    types: ['node'],
  },
)
const checker = program.getTypeChecker()

const rows = entries.map(({ specifier, file }) => {
  const module = checker.getSymbolAtLocation(program.getSourceFile(file))
  const names = module ? checker.getExportsOfModule(module) : []
  const isValue = (symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    return (target.flags & ts.SymbolFlags.Value) !== 0
  }
  const values = names.filter(isValue).map((symbol) => symbol.name)
  const types = names.filter((symbol) => !isValue(symbol)).map((symbol) => symbol.name)
  return {
    entry: specifier,
    names: names.length,
    values: values.length,
    types: types.length,
    valueNames: values,
  }
})

if (options.json) {
  console.log(JSON.stringify(rows, null, 2))
} else {
  const width = Math.max(...rows.map((row) => row.entry.length))
  console.log(`${'entry point'.padEnd(width)}  names  values  types`)
  for (const row of rows) {
    const counts = `${String(row.names).padStart(5)}  ${String(row.values).padStart(6)}  ${String(row.types).padStart(5)}`
    console.log(`${row.entry.padEnd(width)}  ${counts}`)
    if (options.names) console.log(`  values: ${row.valueNames.sort().join(', ')}`)
  }
  const total = rows.reduce((sum, row) => sum + row.names, 0)
  console.log(`${'total'.padEnd(width)}  ${String(total).padStart(5)}`)
}
