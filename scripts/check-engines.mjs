#!/usr/bin/env node
// Fails when a package in package-lock.json declares a Node engine range that leaves out a Node
// version the root's `engines.node` promises (its floor, and the first release of each later
// major up to 24): `npm install` on such a Node prints EBADENGINE, and the package may not run.
// Run by `npm test` before the suite. Usage: node scripts/check-engines.mjs
import { readFileSync } from 'node:fs'
import semver from 'semver'

const root = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'))
const floor = semver.minVersion(root.engines.node)
const versions = [floor.version, '22.12.0', '24.0.0'].filter((v) => semver.satisfies(v, root.engines.node))

const refused = []
for (const [path, entry] of Object.entries(lock.packages)) {
  const range = entry.engines?.node
  // Platform stubs (os/cpu-tagged, never installed here) and packages without a range are fine.
  if (path === '' || typeof range !== 'string' || entry.os !== undefined || entry.cpu !== undefined) continue
  const out = versions.filter((v) => !semver.satisfies(v, range, { includePrerelease: true }))
  if (out.length > 0)
    refused.push(
      `${path.replace(/^.*node_modules\//, '')}@${entry.version}: node ${range} (not ${out.join(', ')})`,
    )
}
if (refused.length > 0) {
  console.error(
    `check-engines: these locked packages refuse a Node version the root promises (${root.engines.node}):`,
  )
  for (const line of refused) console.error(`  ${line}`)
  console.error(
    'Pin a version that accepts it (an "overrides" entry in package.json), or raise engines.node.',
  )
  process.exit(1)
}
console.log(`check-engines: every locked package accepts Node ${versions.join(', ')}`)
