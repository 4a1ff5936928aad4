#!/usr/bin/env node
// `changeset version` for packages still at 0.x: the same release plan, except that a package
// bumped only because a peer dependency of it left its range gets a minor bump, not 1.0.0.
//
// Changesets bumps a peer dependent by a major whenever the peer moves by a minor or more, so a
// minor of @cache/core (0.1 -> 0.2) would release every adapter as 1.0.0. While a package is at
// 0.x, a minor is already its breaking bump (semver.org, item 4), so 0.2.0 with the peer range
// updated to ^0.2.0 says the same thing. A major that a changeset asks for is kept.
//
// Usage: node scripts/version-packages.mjs [--dry]
//   --dry   print the plan (package, old -> new version, bump) and change nothing
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import applyReleasePlan from '@changesets/apply-release-plan'
import assembleReleasePlan from '@changesets/assemble-release-plan'
import { read as readConfig } from '@changesets/config'
import { readPreState } from '@changesets/pre'
import readChangesets from '@changesets/read'
import { getPackages } from '@manypkg/get-packages'
import semver from 'semver'

/**
 * The release plan of the changesets under `cwd`, with the 0.x peer-dependent majors turned
 * into minors.
 * @param {string} cwd the repository root
 */
export async function planReleases(cwd) {
  const packages = await getPackages(cwd)
  const config = await readConfig(cwd, packages)
  const [changesets, preState] = await Promise.all([readChangesets(cwd), readPreState(cwd)])
  if (preState?.mode === 'pre') throw new Error('pre-release mode: use `npx changeset version`')
  const plan = assembleReleasePlan(changesets, packages, config, preState)
  const askedMajor = new Set(
    changesets.flatMap((c) => c.releases.filter((r) => r.type === 'major').map((r) => r.name)),
  )
  for (const release of plan.releases) {
    if (release.type === 'major' && semver.major(release.oldVersion) === 0 && !askedMajor.has(release.name)) {
      release.type = 'minor'
      release.newVersion = semver.inc(release.oldVersion, 'minor')
    }
  }
  return { plan, packages, config }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { dry: { type: 'boolean' } } })
  const cwd = process.cwd()
  const { plan, packages, config } = await planReleases(cwd)
  const releases = plan.releases.filter((r) => r.type !== 'none')
  if (releases.length === 0) {
    console.log('No unreleased changesets: nothing to version.')
  } else if (values.dry) {
    for (const r of releases) console.log(`${r.name}: ${r.oldVersion} -> ${r.newVersion} (${r.type})`)
  } else {
    // The changelog module is resolved from here (the repository's node_modules).
    const touched = await applyReleasePlan(
      plan,
      packages,
      config,
      undefined,
      dirname(fileURLToPath(import.meta.url)),
    )
    for (const r of releases) console.log(`${r.name}: ${r.oldVersion} -> ${r.newVersion} (${r.type})`)
    console.log(`${touched.length} files updated; review them and commit.`)
  }
}
