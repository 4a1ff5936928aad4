// `npm run conformance`: runs the public HTTP cache test suite (`http-cache-tests`, the suite
// behind cache-tests.fyi) against examples/proxy, and prints our score beside every published
// result of the suite. The suite is installed OUTSIDE the workspace (it depends on npm@6, whose
// `npm` binary would shadow the real one in node_modules/.bin). Everything listens on 127.0.0.1.
//
//   node scripts/conformance/run.mjs [--markdown] [--results out.json]   the whole suite, scored
//   node scripts/conformance/run.mjs --ci | --ids a,b,c    only these tests (and their dependencies);
//                                                         exits 1 unless every one passes
//   node scripts/conformance/run.mjs --id one-test         one test, with the suite's request dump [--id one-test]
//
// Environment: CONFORMANCE_DIR, where the suite is installed (default: <os tmpdir>/cache-conformance).

import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { CI_SUBSET } from './ci-subset.mjs'
import { freePort, run, start, stop, waitForPort } from './processes.mjs'
import { loadSuite, publishedResults, score } from './score.mjs'

const SUITE = 'http-cache-tests@0.4.5'
const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)))
const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const value = (name) => {
  const i = args.indexOf(name)
  return i < 0 ? undefined : args[i + 1]
}

// biome-ignore lint/suspicious/noUndeclaredEnvVars: run by node, never by a turbo task
const installDir = process.env.CONFORMANCE_DIR ?? path.join(os.tmpdir(), 'cache-conformance')
const suiteDir = path.join(installDir, 'node_modules', 'http-cache-tests')
if (!existsSync(path.join(suiteDir, 'package.json'))) {
  console.error(`Installing ${SUITE} into ${installDir} (outside the workspace)...`)
  await mkdir(installDir, { recursive: true })
  // npm's report goes to stderr: stdout is the table (`--markdown` output is meant for a file).
  try {
    execFileSync('npm', ['install', '--prefix', installDir, '--no-audit', '--no-fund', SUITE], {
      stdio: ['ignore', process.stderr, process.stderr],
    })
  } catch (error) {
    // In CI, a registry that cannot be reached says nothing about the cache: warn and skip, as
    // .ci/run does for the optional Node 24 run. Anything after the install fails the run.
    if (!flag('--ci')) throw error
    console.error(`WARNING: could not install ${SUITE}; the conformance subset is skipped`)
    process.exit(0)
  }
}
const proxyEntry = path.join(root, 'examples/proxy/dist/main.js')
if (!existsSync(proxyEntry))
  throw new Error(`${proxyEntry} is missing: build it first (npm run conformance does)`)

// The suite's server listens on every interface; this preload pins it to loopback.
const work = path.join(installDir, 'run')
await mkdir(work, { recursive: true })
const loopback = path.join(work, 'loopback.mjs')
await writeFile(
  loopback,
  `import http from 'node:http'
const listen = http.Server.prototype.listen
http.Server.prototype.listen = function (port, ...rest) {
  return typeof port === 'number' || typeof port === 'string' ? listen.call(this, Number(port), '127.0.0.1', ...rest) : listen.call(this, port, ...rest)
}
`,
)

const originPort = await freePort()
const proxyPort = await freePort()
const origin = start('origin server', ['--import', loopback, path.join(suiteDir, 'server/server.mjs')], {
  cwd: work,
  env: {
    ...process.env,
    npm_config_port: String(originPort),
    npm_config_protocol: 'http',
    npm_config_pidfile: path.join(work, 'server.pid'),
  },
})
const proxy = start('proxy', [proxyEntry], {
  cwd: root,
  env: {
    ...process.env,
    UPSTREAM_URL: `http://127.0.0.1:${originPort}`,
    PORT: String(proxyPort),
    HOST: '127.0.0.1',
    REDIS_URL: '',
  },
})
const ids = flag('--ci') ? CI_SUBSET : value('--ids')?.split(',')
let ours
try {
  await waitForPort(originPort, origin)
  await waitForPort(proxyPort, proxy)
  const started = Date.now()
  const base = `http://127.0.0.1:${proxyPort}`
  const only = value('--id') ?? ''
  let stdout
  if (ids !== undefined) {
    const driver = path.join(installDir, 'driver.mjs')
    await copyFile(fileURLToPath(new URL('driver.mjs', import.meta.url)), driver)
    stdout = await run(['--no-warnings', driver, suiteDir, base, ids.join(',')], { cwd: work })
  } else {
    stdout = await run(['--no-warnings', 'cli.mjs'], {
      cwd: suiteDir,
      env: { ...process.env, npm_config_base: base, npm_config_id: only, npm_package_config_id: only },
    })
  }
  if (only !== '') {
    // One test, as the suite's own CLI reports it: requests and responses on both sides.
    console.log(stdout)
  } else ours = JSON.parse(stdout)
  console.error(`suite ran in ${((Date.now() - started) / 1000).toFixed(1)} s`)
} finally {
  await stop(proxy)
  await stop(origin)
}

if (ours === undefined) process.exit()
const suite = await loadSuite(suiteDir)
if (ids !== undefined) {
  // The CI subset: every listed test must pass (a check must say yes).
  const missed = ids.filter((id) => {
    const symbol = suite.display.determineTestResult(suite.tests, id, ours)[2]
    return symbol !== '✅' && symbol !== 'Y'
  })
  console.log(`${ids.length - missed.length}/${ids.length} conformance subset tests passed`)
  if (missed.length > 0) {
    console.error(`failed: ${missed.map((id) => `${id} (${JSON.stringify(ours[id])})`).join(', ')}`)
    process.exitCode = 1
  }
  process.exit()
}
if (value('--results') !== undefined)
  await writeFile(value('--results'), `${JSON.stringify(ours, null, 2)}\n`)
const mine = score(suite, ours)
const rows = [{ name: "this project (examples/proxy, `freshness: 'origin'`)", ...mine }]
for (const set of await publishedResults(suiteDir, suite.index))
  rows.push({ name: set.name, ...score(suite, set.results) })

if (flag('--markdown')) {
  console.log('| cache | required tests passed | optimal tests passed |\n|---|---|---|')
  for (const r of rows)
    console.log(`| ${r.name} | ${r.required} / ${r.requiredTotal} | ${r.optimal} / ${r.optimalTotal} |`)
  console.log('\n| test | kind | result | detail |\n|---|---|---|---|')
  for (const f of mine.failed)
    console.log(`| \`${f.id}\` | ${f.kind} | ${f.symbol} | ${f.detail.replaceAll('|', '\\|')} |`)
} else {
  const width = Math.max(...rows.map((r) => r.name.length))
  console.log(`${'cache'.padEnd(width)}  required   optimal`)
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(width)}  ${`${r.required}/${r.requiredTotal}`.padEnd(9)}  ${r.optimal}/${r.optimalTotal}`,
    )
  }
  console.log(`\nnot passed here (${mine.failed.length}):`)
  for (const f of mine.failed) console.log(`  ${f.symbol} ${f.kind.padEnd(8)} ${f.id}: ${f.detail}`)
}
