#!/usr/bin/env node
// Writes the ESM entries of a package whose build is CommonJS (see tsup.shared.ts). Run from the
// package's directory after tsup: for every `import` target `./dist/<name>.js` of its exports
// map, `dist/<name>.js` re-exports the names of `dist/<name>.cjs`, and `dist/<name>.d.ts` its
// types. The CommonJS build is the one implementation, so an application that imports a package
// while another part of it (or a plugin) requires the same package loads one copy: one set of
// classes and module state (Node.js documentation, "Packages", dual package hazard).
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { resolve } from 'node:path'

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/
const manifest = JSON.parse(readFileSync('package.json', 'utf8'))
const load = createRequire(resolve('package.json'))

const targets = Object.values(manifest.exports ?? {})
  .map((target) => target?.import?.default)
  .filter((path) => typeof path === 'string' && /^\.\/dist\/[\w-]+\.js$/.test(path))
if (targets.length === 0) {
  console.error(`esm-entries: ${manifest.name} has no ./dist/<name>.js import target in its exports`)
  process.exit(1)
}

for (const target of targets) {
  const base = target.slice(0, -'.js'.length)
  const names = Object.keys(load(`${base}.cjs`)).sort()
  const bad = names.filter((name) => !IDENTIFIER.test(name) || name === 'default')
  if (bad.length > 0) {
    console.error(`esm-entries: ${base}.cjs exports names an ESM entry cannot re-export: ${bad.join(', ')}`)
    process.exit(1)
  }
  const file = base.slice('./dist/'.length)
  // Loaded with require(), not `import cjs from`: the names are read from `module.exports` at
  // run time, not left to the static analysis Node.js uses for named imports of CommonJS, and an
  // entry that throws while loading (an optional peer missing) rejects its import() as an ES
  // module would; through the ESM loader, Node 20 rethrew that error, uncaught, at the next
  // import() of another entry.
  const body =
    names.length === 0 ? 'export {}' : `export const {\n${names.map((n) => `  ${n},\n`).join('')}} = cjs`
  const head = `import { createRequire } from 'node:module'\n\nconst cjs = createRequire(import.meta.url)('./${file}.cjs')`
  writeFileSync(resolve(`${base}.js`), `${head}\n\n${body}\n`)
  writeFileSync(resolve(`${base}.d.ts`), `export * from './${file}.cjs'\n`)
}
