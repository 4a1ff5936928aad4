#!/usr/bin/env node
// Launcher kept outside dist/ so that the `cachectl` link npm creates at install time always has
// a target. The command itself is built into dist/. In a checkout of the monorepo where it has
// not been built yet (right after `npm install`), the first run builds it (and @cache/core) once.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dist = new URL('../dist/cachectl.js', import.meta.url)
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url))

function buildInCheckout() {
  const inCheckout =
    existsSync(new URL('../src/cachectl.ts', import.meta.url)) && existsSync(`${repoRoot}turbo.json`)
  if (!inCheckout) return false
  process.stderr.write('cachectl: first run in this checkout, building @cache/cli and @cache/core...\n')
  const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx'
  const result = spawnSync(
    npx,
    ['turbo', 'run', 'build', '--filter=@cache/cli...', '--output-logs=errors-only'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 2, 2],
    },
  )
  return result.status === 0 && existsSync(dist)
}

async function load() {
  if (!existsSync(dist) && !buildInCheckout()) {
    throw new Error(
      '@cache/cli is not built: run `npx turbo run build --filter=@cache/cli...` at the repo root',
    )
  }
  return import(dist.href)
}

load()
  .then(({ main }) => main(process.argv.slice(2)))
  .then((code) => {
    process.exitCode = code
    // Do not wait for client libraries' leftover timers (ioredis keeps one for ~2 s after a
    // failed connection); unref'd, so a process with nothing left to do exits at once.
    setTimeout(() => process.exit(), 50).unref()
  })
  .catch((error) => {
    console.error(`cachectl: ${error?.message ?? error}`)
    process.exitCode = 1
  })
