#!/usr/bin/env node
// Last step of a public package's `build` (after tsup, whose declaration pass would delete files
// written earlier): for each `exports` entry, the ES module file (`import`) re-exports the
// CommonJS build (`require`); see tsup.shared.ts for why. Its declarations are a copy of the
// CommonJS ones rather than a re-export: read as an ES module, they resolve the peers they name
// (keyv ships separate ESM and CJS typings) the way an ES module consumer's own imports do, so a
// `Keyv` the consumer creates is the `Keyv` the options expect. Shared chunks stay CommonJS.
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs'

const manifest = JSON.parse(readFileSync('package.json', 'utf8'))
for (const [subpath, target] of Object.entries(manifest.exports)) {
  if (typeof target === 'string') continue
  const files = [target.import.default, target.import.types, target.require.default, target.require.types]
  const outside = files.find((file) => !file.startsWith('./dist/'))
  if (outside) throw new Error(`${subpath}: ${outside} is outside dist/`)
  const [esm, esmTypes, cjs, cjsTypes] = files
  // `export *` carries every named export; the packages have no default export to lose.
  writeFileSync(esm, `export * from './${cjs.slice(cjs.lastIndexOf('/') + 1)}'\n`)
  copyFileSync(cjsTypes, esmTypes)
}
