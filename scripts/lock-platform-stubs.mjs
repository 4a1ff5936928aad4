#!/usr/bin/env node
// The npm registry reachable here serves only this platform's builds of packages that ship
// per-platform binaries as optional dependencies (@biomejs/cli-*, @rollup/rollup-*, @turbo/*):
// `npm install` then writes a lockfile without the other platforms' entries, and `npm ci` refuses
// that lockfile as out of sync. This adds those entries back as stubs with `os`/`cpu`/`libc`, so
// `npm ci` accepts the lockfile and skips them on this platform, as it would with a full lockfile.
// Idempotent; .ci/run applies it before `npm ci`.
import { readFileSync, writeFileSync } from 'node:fs'

const file = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(file, 'utf8'))
const packages = lock.packages

function platformOf(name) {
  const n = name.toLowerCase()
  const os =
    [
      'darwin',
      'win32',
      'linux',
      'android',
      'freebsd',
      'openbsd',
      'openharmony',
      'netbsd',
      'sunos',
      'aix',
    ].find((o) => n.includes(o)) ?? (n.includes('windows') ? 'win32' : undefined)
  const cpuTable = [
    ['arm64', 'arm64'],
    ['loong64', 'loong64'],
    ['ppc64', 'ppc64'],
    ['riscv64', 'riscv64'],
    ['s390x', 's390x'],
    ['ia32', 'ia32'],
    ['x64', 'x64'],
    ['-64', 'x64'],
    ['arm-', 'arm'],
    ['-arm', 'arm'],
  ]
  const cpu = cpuTable.find(([needle]) => n.includes(needle))?.[1]
  const libc =
    os === 'linux' ? (n.includes('musl') ? 'musl' : n.includes('gnu') ? 'glibc' : undefined) : undefined
  return { os, cpu, libc }
}

/** Where `name` resolves from the package at `dir` (walking up node_modules folders), or undefined. */
function resolves(dir, name) {
  let base = dir
  for (;;) {
    if (packages[`${base}/node_modules/${name}`]) return true
    const i = base.lastIndexOf('/node_modules/')
    if (i < 0) break
    base = base.slice(0, i)
  }
  return Boolean(packages[`node_modules/${name}`])
}

let added = 0
for (const [dir, meta] of Object.entries(packages)) {
  if (!dir || !meta.optionalDependencies) continue
  for (const [name, range] of Object.entries(meta.optionalDependencies)) {
    if (resolves(dir, name)) continue
    const { os, cpu, libc } = platformOf(name)
    if (!os || !cpu) continue // not a platform binary: leave it to npm
    const version = String(range).replace(/^[~^=]/, '')
    const parentDir = dir.includes('/node_modules/', 1) ? dir.slice(0, dir.lastIndexOf('/node_modules/')) : ''
    const at = parentDir ? `${parentDir}/node_modules/${name}` : `node_modules/${name}`
    packages[at] = {
      version,
      ...(meta.dev ? { dev: true } : {}),
      optional: true,
      os: [os],
      cpu: [cpu],
      ...(libc ? { libc: [libc] } : {}),
    }
    added++
  }
}
if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : 1)),
  )
  writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`)
}
console.log(`lock-platform-stubs: ${added} platform stub(s) added`)
