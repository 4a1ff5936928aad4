#!/usr/bin/env node
// The consumer-project suite: the public packages as users install them. Packs them, installs
// the tarballs with each cell's framework versions into projects outside the workspace (under
// the OS temp dir, so no workspace node_modules can leak in), type-checks each project under
// `strict`, runs its app in ESM and in CommonJS, in memory mode and with Redis, and type-checks
// (and runs, where marked) every TypeScript snippet of the docs. See consumers/README.md.
//
//   node consumers/run.mjs [--only=express5,nest11,docs] [--keep] [--no-build] [--jobs=2]
import { existsSync } from 'node:fs'
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, parse, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { cells, docsCell, PEER_RANGES, TOOLING } from './cells.mjs'
import { checkApp } from './lib/app-checks.mjs'
import { run } from './lib/exec.mjs'
import { buildPackages, packPackages, peerRangesOf } from './lib/pack.mjs'
import { compile, installProject, writeSource, writeTsconfig } from './lib/project.mjs'
import { redisAvailable, startRedis } from './lib/redis.mjs'
import { checkSnippets } from './lib/snippets.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '..')

const { values: options } = parseArgs({
  options: {
    only: { type: 'string' },
    keep: { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    jobs: { type: 'string', default: '2' },
  },
})

/** @typedef {{ cell: string, step: string, ok: boolean, skipped?: boolean, detail?: string, ms?: number }} Row */
/** @type {Row[]} */
const rows = []

function report(row) {
  rows.push(row)
  const status = row.skipped ? 'skip' : row.ok ? 'ok  ' : 'FAIL'
  const time = row.ms === undefined ? '' : ` (${(row.ms / 1000).toFixed(1)} s)`
  console.log(`${status} ${row.cell.padEnd(9)} ${row.step}${time}`)
  if (row.detail && (!row.ok || row.skipped)) console.log(indent(row.detail, 7))
}

function indent(text, spaces) {
  return text
    .trim()
    .split('\n')
    .map((line) => ' '.repeat(spaces) + line)
    .join('\n')
}

/** Times `fn` and reports it as one row; resolves with its result, or undefined when it threw. */
async function step(cell, name, fn) {
  const started = Date.now()
  try {
    const result = await fn()
    report({ cell, step: name, ok: true, ms: Date.now() - started })
    return { ok: true, result }
  } catch (error) {
    report({ cell, step: name, ok: false, detail: error.message ?? String(error), ms: Date.now() - started })
    return { ok: false }
  }
}

/** No node_modules or package.json above the temp dir: the projects must resolve only their own. */
function expectIsolated(dir) {
  for (let current = dirname(dir); ; current = dirname(current)) {
    for (const name of ['node_modules', 'package.json']) {
      if (existsSync(join(current, name)))
        throw new Error(`${join(current, name)} would leak into the projects`)
    }
    if (current === parse(current).root) return
  }
}

async function newestMajor(name) {
  const { stdout } = await run('npm', ['view', name, 'dist-tags.latest'], {
    cwd: tmpdir(),
    timeoutMs: 60_000,
  })
  return Number(stdout.trim().split('.')[0])
}

/** The peer ranges in the packages' package.json must be the ones the cells back. */
async function checkPeerRanges() {
  const actual = await peerRangesOf(root)
  const problems = []
  for (const [name, peers] of Object.entries(actual)) {
    const expected = PEER_RANGES[name] ?? {}
    for (const peer of new Set([...Object.keys(expected), ...Object.keys(peers)])) {
      if (peers[peer] !== expected[peer]) {
        problems.push(
          `${name}: peer ${peer} is ${JSON.stringify(peers[peer])}, the suite covers ${JSON.stringify(expected[peer])}`,
        )
      }
    }
  }
  if (problems.length > 0) throw new Error(problems.join('\n'))
}

/** Install, type-check, then run the app: ESM and CJS, each platform, memory and Redis. */
async function runAppCell(cell, dir, redis) {
  // The HTTP apps share common.ts (their cache, state, port and shutdown); core is one script.
  const sources = {
    'app.ts': `${cell.app}.ts`,
    ...(cell.app === 'core' ? {} : { 'common.ts': 'common.ts' }),
  }
  const modules = /** @type {const} */ ([
    ['esm', 'module'],
    ['cjs', 'commonjs'],
  ])
  for (const [folder, type] of modules) {
    for (const [name, source] of Object.entries(sources)) {
      await writeSource(dir, `${folder}/${name}`, await readFile(join(here, 'apps', source), 'utf8'), type)
    }
    const tsconfig = await writeTsconfig(dir, folder, { decorators: cell.app === 'nestjs' })
    await step(cell.name, `typecheck ${folder} (strict)`, async () => {
      const diagnostics = await compile(dir, tsconfig)
      if (diagnostics.length > 0) {
        throw new Error(diagnostics.map((d) => `${d.file}(${d.line},${d.column}): ${d.message}`).join('\n'))
      }
    })
  }
  if (cell.app === 'core') {
    for (const [folder] of modules) {
      await step(cell.name, `${folder}: Keyv store, ops, metrics; exits by itself`, async () => {
        const { stdout } = await run(process.execPath, [join(dir, 'dist', folder, 'app.js')], {
          cwd: dir,
          timeoutMs: 20_000,
        })
        if (stdout.trim() !== 'OK') throw new Error(`printed ${JSON.stringify(stdout)}, expected OK`)
      })
    }
    return
  }
  let serial = 0
  for (const [folder] of modules) {
    for (const platform of cell.platforms ?? [undefined]) {
      for (const store of ['memory', 'redis']) {
        const name = [platform, folder, store].filter(Boolean).join(' ')
        if (store === 'redis' && !redis) {
          report({
            cell: cell.name,
            step: name,
            ok: true,
            skipped: true,
            detail: 'no redis-server on this machine',
          })
          continue
        }
        const started = Date.now()
        const results = await checkApp({
          entry: join(dir, 'dist', folder, 'app.js'),
          cwd: dir,
          env: {
            REDIS_URL: store === 'redis' ? redis.url : undefined,
            CONSUMER_NAMESPACE: `${cell.name}-${++serial}`,
            NEST_PLATFORM: platform,
          },
        })
        const failed = results.filter((result) => !result.ok)
        report({
          cell: cell.name,
          step: name,
          ok: failed.length === 0,
          detail: failed.map((result) => `${result.name}: ${result.detail}`).join('\n'),
          ms: Date.now() - started,
        })
      }
    }
  }
}

/** cachectl from the installed tarball: its help, and `stats` counting an entry @cache/core wrote. */
async function runCliCell(cell, dir, redis) {
  const cachectl = join(dir, 'node_modules', '.bin', 'cachectl')
  await step(cell.name, 'cachectl --help', async () => {
    const { stdout } = await run(cachectl, ['--help'], { cwd: dir, timeoutMs: 20_000 })
    if (!stdout.includes('Usage: cachectl')) throw new Error(`unexpected help:\n${stdout}`)
  })
  if (!redis) {
    report({ cell: cell.name, step: 'cachectl stats', ok: true, skipped: true, detail: 'no redis-server' })
    return
  }
  await step(cell.name, 'cachectl stats counts an entry written by @cache/core', async () => {
    await copyFile(join(here, 'apps', 'cli-seed.mjs'), join(dir, 'seed.mjs'))
    const env = { ...process.env, REDIS_URL: redis.url }
    await run(process.execPath, ['seed.mjs'], { cwd: dir, env, timeoutMs: 20_000 })
    const args = ['stats', '--redis', redis.url, '--namespace', 'cli']
    const { stdout } = await run(cachectl, args, { cwd: dir, timeoutMs: 20_000 })
    if (!/entries\s+1 in namespace cli/.test(stdout)) throw new Error(`cachectl stats:\n${stdout}`)
  })
}

/** consumers/apps/jest.spec.cjs under the installed Jest: it must pass. */
async function runJestCell(cell, dir) {
  await step(cell.name, 'jest: @cache/core and @cache/nestjs in a CommonJS spec', async () => {
    await copyFile(join(here, 'apps', 'jest.spec.cjs'), join(dir, 'cache.spec.cjs'))
    const jest = join(dir, 'node_modules', 'jest', 'bin', 'jest.js')
    const args = [jest, '--ci', '--rootDir', dir, '--testMatch', '**/cache.spec.cjs']
    await run(process.execPath, args, { cwd: dir, timeoutMs: 120_000 })
  })
}

async function runCell(cell, work, tarballs, redis) {
  const dir = join(work, cell.name)
  const installed = await step(cell.name, `install ${describeDependencies(cell)}`, () =>
    installProject(dir, cell, tarballs, cell.app === 'cli' ? {} : TOOLING),
  )
  if (!installed.ok) return
  if (cell.app === 'cli') {
    await runCliCell(cell, dir, redis)
  } else if (cell.app === 'jest') {
    await runJestCell(cell, dir)
  } else if (cell.app === 'docs') {
    for (const row of await checkSnippets({ root, dir, redisUrl: redis?.url }))
      report({ cell: cell.name, ...row })
  } else {
    await runAppCell(cell, dir, redis)
  }
}

function describeDependencies(cell) {
  if (cell.app === 'docs') return 'every package + newest frameworks'
  if (cell.app === 'cli') return '@cache/cli'
  if (cell.app === 'jest') return `jest@${cell.dependencies.jest}, Nest ${cell.dependencies['@nestjs/core']}`
  return Object.entries(cell.dependencies)
    .filter(
      ([name]) => !name.startsWith('@types/') && !['reflect-metadata', 'rxjs', 'ioredis'].includes(name),
    )
    .filter(([name]) => !name.startsWith('@nestjs/platform-') && name !== '@nestjs/common')
    .map(([name, range]) => `${name}@${range}`)
    .join(' ')
}

/** Runs `tasks` with at most `jobs` at a time. */
async function pool(items, jobs, task) {
  const queue = [...items]
  const workers = Array.from({ length: Math.min(jobs, queue.length) }, async () => {
    while (queue.length > 0) await task(queue.shift())
  })
  await Promise.all(workers)
}

async function main() {
  const started = Date.now()
  const work = await mkdtemp(join(tmpdir(), 'cache-consumers-'))
  let redis
  try {
    expectIsolated(work)
    const nestMajor = await newestMajor('@nestjs/core')
    const only = options.only?.split(',').map((name) => name.trim())
    const matrix = [...cells(nestMajor), docsCell(nestMajor)].filter(
      (cell) => !only || only.includes(cell.name),
    )
    console.log(`consumer projects in ${work}; newest @nestjs/core major on the registry: ${nestMajor}`)

    await step('packages', 'peer ranges match the cells', checkPeerRanges)
    if (!options['no-build']) {
      const built = await step('packages', 'build', () => buildPackages(root))
      if (!built.ok) return 1
    }
    const packed = await step('packages', 'npm pack', () => packPackages(root, work))
    if (!packed.ok) return 1
    const tarballs = packed.result

    if (redisAvailable()) {
      const started = await step('redis', 'private redis-server on 127.0.0.1', startRedis)
      redis = started.result
    } else {
      report({
        cell: 'redis',
        step: 'redis-server',
        ok: true,
        skipped: true,
        detail: 'not installed: Redis runs skipped',
      })
    }

    await pool(matrix, Number(options.jobs), (cell) => runCell(cell, work, tarballs, redis))
  } finally {
    await redis?.stop()
    if (options.keep) console.log(`kept ${work}`)
    else await rm(work, { recursive: true, force: true })
  }

  const failed = rows.filter((row) => !row.ok)
  const skipped = rows.filter((row) => row.skipped)
  console.log(
    `\n${rows.length - failed.length - skipped.length} passed, ${failed.length} failed, ${skipped.length} skipped` +
      ` in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  )
  for (const row of failed) console.log(`  FAIL ${row.cell} ${row.step}`)
  return failed.length > 0 ? 1 : 0
}

process.exitCode = await main().catch((error) => {
  console.error(error)
  return 1
})
