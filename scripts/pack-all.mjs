#!/usr/bin/env node
// Packs every public workspace package (packages/*, not `private`) with `npm pack`, as `npm
// publish` would (prepack scripts run; nothing is built: run `npm run build` first, which the
// `pack:all` and `release:dry` scripts do), and lists the tarballs.
//
// Usage: node scripts/pack-all.mjs [--out DIR] [--json]
//   --out DIR  where the tarballs go (default: ./packed)
//   --json     print the list as JSON (name, version, dir, tarball, size, unpackedSize, files)
import { execFile } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs, promisify } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values } = parseArgs({ options: { out: { type: 'string' }, json: { type: 'boolean' } } })
const out = resolve(values.out ?? join(root, 'packed'))

const publicPackages = readdirSync(join(root, 'packages'))
  .map((name) => join('packages', name))
  .filter((dir) => existsSync(join(root, dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')) }))
  .filter(({ manifest }) => manifest.private !== true)

const unbuilt = publicPackages.filter(({ dir }) => !existsSync(join(root, dir, 'dist')))
if (unbuilt.length > 0) {
  console.error(
    `pack-all: not built: ${unbuilt.map(({ manifest }) => manifest.name).join(', ')}; run \`npm run build\` first`,
  )
  process.exit(1)
}

await mkdir(out, { recursive: true })
const run = promisify(execFile)
const packed = await Promise.all(
  publicPackages.map(async ({ dir, manifest }) => {
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', out], {
      cwd: join(root, dir),
    })
    const [result] = JSON.parse(stdout)
    return {
      name: manifest.name,
      version: manifest.version,
      dir,
      tarball: join(out, result.filename),
      size: result.size,
      unpackedSize: result.unpackedSize,
      files: result.files.map((file) => file.path).sort(),
    }
  }),
)

if (values.json) {
  console.log(JSON.stringify(packed, null, 2))
} else {
  const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`
  const rows = packed.map((p) => [
    p.name,
    p.version,
    relative(process.cwd(), p.tarball),
    kB(p.size),
    kB(p.unpackedSize),
  ])
  const head = ['package', 'version', 'tarball', 'packed', 'unpacked']
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  for (const row of [head, ...rows])
    console.log(
      row
        .map((cell, i) => cell.padEnd(widths[i]))
        .join('  ')
        .trimEnd(),
    )
  const core = packed.find((p) => p.name === '@cache/core')
  const express = packed.find((p) => p.name === '@cache/express')
  if (core && express) {
    console.log('\nInstall in a project, e.g. Express:')
    console.log(`  npm install ${core.tarball} ${express.tarball} express`)
  }
}
